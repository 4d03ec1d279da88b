namespace Gateway.Proxy.LoadBalancing;

/// <summary>
/// A 64-bit hash that is the same in every process and on every run (unlike string.GetHashCode), so that
/// every proxy replica sends a given client to the same target. FNV-1a over the UTF-16 code units, then a
/// SplitMix64 finaliser so that nearby inputs land far apart on the ring.
/// </summary>
public static class StableHash
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Of(ReadOnlySpan<char> text) => Mix(Fnv(OffsetBasis, text));

    /// <summary>Hash of a value combined with a number, without building a string (ring slots, point numbers).</summary>
    public static ulong Of(ulong seed, long number) => Mix(seed ^ Mix((ulong)number + 0x9E3779B97F4A7C15UL));

    private static ulong Fnv(ulong hash, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * Prime;
            hash = (hash ^ (byte)(c >> 8)) * Prime;
        }
        return hash;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
