namespace Gateway.Operator.Translation;

/// <summary>
/// Collects the entities the translators produce, each once (an entity reached twice, as a Service shared by two
/// Ingresses, is kept the first time), and sorts them into a <see cref="GatewayConfiguration"/>. Translators of
/// further kinds (plugins, consumers) add to the same builder.
/// </summary>
public sealed class ConfigurationBuilder(string ownerTag)
{
    private readonly Dictionary<Guid, KongService> _services = [];
    private readonly Dictionary<Guid, KongRoute> _routes = [];
    private readonly Dictionary<Guid, KongUpstream> _upstreams = [];
    private readonly Dictionary<Guid, KongTarget> _targets = [];
    private readonly Dictionary<Guid, KongCertificate> _certificates = [];
    private readonly Dictionary<Guid, KongSni> _snis = [];
    private readonly Dictionary<string, PluginTarget> _pluginTargets = [];

    public string OwnerTag { get; } = ownerTag;

    public void Add(KongService service) => _services.TryAdd(service.Id, service);
    public void Add(KongRoute route) => _routes.TryAdd(route.Id, route);
    public void Add(KongUpstream upstream) => _upstreams.TryAdd(upstream.Id, upstream);
    public void Add(KongTarget target) => _targets.TryAdd(target.Id, target);
    public void Add(KongCertificate certificate) => _certificates.TryAdd(certificate.Id, certificate);
    public void Add(KongSni sni) => _snis.TryAdd(sni.Id, sni);

    /// <summary>A route or service whose source object names plugins.</summary>
    public void Add(PluginTarget target) => _pluginTargets.TryAdd(target.Id, target);

    /// <summary>Every route and service whose source object names plugins, by id.</summary>
    public IReadOnlyList<PluginTarget> PluginTargets() => [.. _pluginTargets.Values.OrderBy(t => t.Id, StringComparer.Ordinal)];

    public bool Has(Guid id) => _services.ContainsKey(id) || _routes.ContainsKey(id) || _upstreams.ContainsKey(id)
                                || _targets.ContainsKey(id) || _certificates.ContainsKey(id) || _snis.ContainsKey(id);

    public GatewayConfiguration Build() => new()
    {
        OwnerTag = OwnerTag,
        Services = [.. _services.Values.OrderBy(s => s.Name, StringComparer.Ordinal)],
        Routes = [.. _routes.Values.OrderBy(r => r.Name, StringComparer.Ordinal)],
        Upstreams = [.. _upstreams.Values.OrderBy(u => u.Name, StringComparer.Ordinal)],
        Targets = [.. _targets.Values.OrderBy(t => t.Upstream.Id).ThenBy(t => t.Address, StringComparer.Ordinal)],
        Certificates = [.. _certificates.Values.OrderBy(c => c.Id)],
        Snis = [.. _snis.Values.OrderBy(s => s.Name, StringComparer.Ordinal)],
    };
}
