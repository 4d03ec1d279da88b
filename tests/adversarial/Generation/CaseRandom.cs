namespace Gateway.Adversarial.Generation;

/// <summary>
/// The random source of one case: seeded from the run's seed, the harness and the case's index alone, so a case
/// is the same whether it is generated in a full run, out of order by a parallel worker, or replayed on its own.
/// </summary>
public sealed class CaseRandom
{
    private readonly Random _random;

    public CaseRandom(int seed, string harness, int index)
    {
        // SplitMix64 spreads neighbouring (seed, index) pairs over unrelated streams; System.Random with an
        // explicit seed is the same generator on every platform and .NET version.
        var state = unchecked(((ulong)(uint)seed << 32) ^ (uint)index ^ StableHash(harness));
        state = unchecked(state + 0x9E3779B97F4A7C15UL);
        state = unchecked((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9UL);
        state = unchecked((state ^ (state >> 27)) * 0x94D049BB133111EBUL);
        state ^= state >> 31;
        _random = new Random(unchecked((int)state) & int.MaxValue);
    }

    public int Next(int exclusiveMax) => _random.Next(exclusiveMax);

    public int Between(int min, int inclusiveMax) => _random.Next(min, inclusiveMax + 1);

    public bool Chance(int percent) => _random.Next(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>Picks an item with probability proportional to its weight.</summary>
    public T Weighted<T>(IReadOnlyList<(T Item, int Weight)> items)
    {
        var total = 0;
        foreach (var (_, weight) in items) total += weight;
        var roll = _random.Next(total);
        foreach (var (item, weight) in items)
        {
            if (roll < weight) return item;
            roll -= weight;
        }
        throw new InvalidOperationException("weights must be positive");
    }

    // string.GetHashCode is randomised per process; this one is not.
    private static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text) hash = unchecked((hash ^ c) * 1099511628211UL);
        return hash;
    }
}
