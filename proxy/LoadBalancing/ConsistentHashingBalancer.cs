using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.LoadBalancing;

/// <summary>
/// Sends requests with the same key (client IP, a header, a cookie, the path or a query argument) to the
/// same target for as long as the targets do not change. When the key is missing the fallback key is used;
/// a missing hash cookie is generated and handed back to the client, as Kong does; with no key at all the
/// request is spread over the ring. An unhealthy target's requests go to the next healthy owner clockwise; the other
/// targets keep theirs.
/// </summary>
public sealed class ConsistentHashingBalancer : Balancer
{
    private readonly HashRing _ring;
    private readonly HashKey _key;
    private readonly HashKey _fallback;
    private int _keyless = -1;

    public ConsistentHashingBalancer(BalancerTarget[] targets, int slots, HashKey key, HashKey fallback, string cookiePath,
        ITargetAvailability? availability = null)
        : base(targets, availability)
    {
        _ring = new HashRing(targets, slots);
        _key = key;
        _fallback = fallback;
        CookiePath = cookiePath;
    }

    /// <summary>The name of the hash cookie when hashing on a cookie.</summary>
    public string? CookieName => _key.Source == "cookie" ? _key.Name : null;

    public string CookiePath { get; }

    public override int Pick(HttpContext context, ref BalancerState state)
    {
        if (Targets.Length == 0 || !UpstreamAvailable) return -1;
        int slot;
        if (state.Slot < 0)
        {
            if (!state.HasHash)
            {
                var value = ReadKey(context, ref state);
                if (value is not null)
                {
                    state.Hash = StableHash.Of(value);
                    state.HasHash = true;
                }
            }
            slot = state.HasHash
                ? _ring.SlotOf(state.Hash)
                : (int)((uint)Interlocked.Increment(ref _keyless) % (uint)_ring.Slots);
            slot = _ring.FindSlot(slot, skipStart: false, avoid: -1, Availability);
        }
        else
        {
            // A retry walks on to the next target; back to the one that failed only when no other one is healthy.
            var next = _ring.FindSlot(state.Slot, skipStart: true, avoid: state.Previous, Availability);
            slot = next >= 0 || !IsAvailable(state.Previous) ? next : state.Slot;
        }
        if (slot < 0) return -1;
        state.Slot = slot;
        state.Previous = _ring.OwnerOf(slot);
        return state.Previous;
    }

    private string? ReadKey(HttpContext context, ref BalancerState state)
    {
        var value = _key.Read(context);
        if (value is not null) return value;
        if (_key.Source == "cookie")
        {
            state.NewCookieValue = Guid.NewGuid().ToString();
            return state.NewCookieValue;
        }
        return _fallback.Read(context);
    }
}
