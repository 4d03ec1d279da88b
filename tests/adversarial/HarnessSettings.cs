using System.Globalization;

namespace Gateway.Adversarial;

/// <summary>
/// How big a run is and which requests it sends, from environment variables, so that CI runs a few hundred
/// requests and anyone can run the full count or replay one failing case:
/// <c>ADVERSARIAL_SEED</c> (default <see cref="DefaultSeed"/>), <c>ADVERSARIAL_COUNT</c> (requests per harness),
/// <c>ADVERSARIAL_FULL=1</c> (<see cref="FullCount"/> requests per harness), <c>ADVERSARIAL_CASE</c> (only that case).
/// </summary>
public sealed record HarnessSettings(int Seed, int Count, int? OnlyCase)
{
    public const int DefaultSeed = 20261207;
    public const int SmallCount = 300;
    public const int FullCount = 10_000;

    public static HarnessSettings FromEnvironment() => Parse(Environment.GetEnvironmentVariable);

    public static HarnessSettings Parse(Func<string, string?> get)
    {
        var seed = Integer(get, "ADVERSARIAL_SEED") ?? DefaultSeed;
        var full = get("ADVERSARIAL_FULL") is "1" or "true";
        var count = Integer(get, "ADVERSARIAL_COUNT") ?? (full ? FullCount : SmallCount);
        if (count < 1) throw new ArgumentException($"ADVERSARIAL_COUNT must be at least 1 (got {count})");
        var only = Integer(get, "ADVERSARIAL_CASE");
        if (only < 0) throw new ArgumentException($"ADVERSARIAL_CASE must not be negative (got {only})");
        return new HarnessSettings(seed, count, only);
    }

    /// <summary>The case indexes of a run: 0 … Count-1, or the one case asked for.</summary>
    public IReadOnlyList<int> CaseIndexes(int count) =>
        OnlyCase is { } only ? [only] : Enumerable.Range(0, count).ToArray();

    private static int? Integer(Func<string, string?> get, string name)
    {
        var text = get(name);
        if (string.IsNullOrWhiteSpace(text)) return null;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{name} must be an integer (got '{text}')");
    }
}
