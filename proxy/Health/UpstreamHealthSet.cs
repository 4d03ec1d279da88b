using Gateway.Proxy.Entities;
using Gateway.Proxy.LoadBalancing;

namespace Gateway.Proxy.Health;

/// <summary>The <see cref="UpstreamHealth"/> of every upstream of one configuration, by upstream id.</summary>
public sealed class UpstreamHealthSet
{
    public static readonly UpstreamHealthSet Empty = new([]);

    private readonly Dictionary<Guid, UpstreamHealth> _byId;

    private UpstreamHealthSet(Dictionary<Guid, UpstreamHealth> byId)
    {
        _byId = byId;
    }

    public IReadOnlyCollection<UpstreamHealth> All => _byId.Values;

    public UpstreamHealth? For(Guid upstreamId) => _byId.GetValueOrDefault(upstreamId);

    /// <summary>The target states the registry must keep for this configuration: those of upstreams with checks on.</summary>
    public IEnumerable<TargetHealth> Tracked() => _byId.Values.Where(u => u.ChecksEnabled).SelectMany(u => u.States);

    /// <summary>Every upstream of <paramref name="config"/>, each target's state taken from (or added to) <paramref name="registry"/>.</summary>
    public static UpstreamHealthSet Build(ConfigData config, TargetHealthRegistry registry)
    {
        var targets = new Dictionary<Guid, List<Target>>();
        foreach (var target in config.Targets)
        {
            if (target.Upstream is not { } upstream) continue;
            if (!targets.TryGetValue(upstream.Id, out var list)) targets[upstream.Id] = list = [];
            list.Add(target);
        }
        var byId = new Dictionary<Guid, UpstreamHealth>();
        foreach (var upstream in config.Upstreams)
            byId[upstream.Id] = new UpstreamHealth(upstream, Balancers.InRotation(targets.GetValueOrDefault(upstream.Id) ?? []), registry);
        return new UpstreamHealthSet(byId);
    }
}
