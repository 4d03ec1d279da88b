namespace Gateway.Proxy.Proxying;

/// <summary>
/// Request ids like Kong's: 32 lower-case hex digits. A random per-process half and a counter half make
/// them unique without a random number per request.
/// </summary>
public static class RequestIds
{
    private static readonly ulong ProcessPart = (ulong)Random.Shared.NextInt64() ^ ((ulong)Environment.ProcessId << 40);
    private static long _counter = Random.Shared.NextInt64(1L << 40);

    public static string Next()
    {
        var counter = (ulong)Interlocked.Increment(ref _counter);
        return string.Create(32, counter, static (chars, value) =>
        {
            ProcessPart.TryFormat(chars, out _, "x16");
            value.TryFormat(chars[16..], out _, "x16");
        });
    }
}
