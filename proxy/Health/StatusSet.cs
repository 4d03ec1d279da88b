namespace Gateway.Proxy.Health;

/// <summary>A set of HTTP status codes (100 to 999) as a bitmap: membership is one shift and one mask, no allocation.</summary>
public sealed class StatusSet
{
    private readonly ulong[] _bits = new ulong[16];

    public StatusSet(IEnumerable<int> statuses)
    {
        foreach (var status in statuses)
            if ((uint)status < 1024) _bits[status >> 6] |= 1UL << (status & 63);
    }

    public bool Contains(int status) => (uint)status < 1024 && (_bits[status >> 6] & (1UL << (status & 63))) != 0;
}
