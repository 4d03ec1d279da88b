namespace Gateway.Operator.Translation;

/// <summary>
/// Turns the Services Ingresses route to into Kong services and upstreams, each (Service, port) once however many
/// paths name it. An upstream's targets are the Service's ready endpoints, so the proxy balances over pods; a Service
/// annotated <c>tollgate.dev/service-upstream: "true"</c> is reached by its cluster DNS name instead, and an
/// ExternalName Service by its external name.
/// </summary>
internal sealed class Backends
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    private readonly Dictionary<(string Namespace, string Name), V1Service> _services = [];
    private readonly ILookup<(string Namespace, string Service), V1EndpointSlice> _slices;
    private readonly Dictionary<(string Namespace, string Name), (ServiceOptions Options, List<Problem> Problems)> _used = [];
    private readonly ConfigurationBuilder _config;

    public Backends(TranslationInput input, ConfigurationBuilder config)
    {
        _config = config;
        foreach (var service in input.Services) _services[(Namespace(service.Metadata), service.Metadata.Name)] = service;
        _slices = input.EndpointSlices
            .Where(s => s.Metadata?.Labels?.ContainsKey(ServiceNameLabel) == true)
            .ToLookup(s => (Namespace(s.Metadata), s.Metadata.Labels[ServiceNameLabel]));
    }

    /// <summary>The Kong service for an Ingress backend, or the problem, reported at <paramref name="field"/>.</summary>
    public (KongRef? Service, Problem? Problem) Resolve(string ns, V1IngressBackend backend, string field)
    {
        if (backend.Service is not { } wanted)
            return (null, new Problem(field, ProblemReasons.InvalidBackend, "only Service backends are supported"));
        if (!_services.TryGetValue((ns, wanted.Name), out var service))
            return (null, new Problem(field + ".service.name", ProblemReasons.BackendNotFound, $"Service \"{ns}/{wanted.Name}\" not found"));

        var (options, problems) = Use(service);
        if (problems.Count > 0)
            return (null, new Problem(field + ".service.name", ProblemReasons.InvalidBackend,
                $"Service \"{ns}/{wanted.Name}\" cannot be served: {string.Join("; ", problems)}"));

        var port = FindPort(service, wanted.Port);
        if (port is null)
            return (null, new Problem(field + ".service.port", ProblemReasons.BackendNotFound, MissingPort($"{ns}/{wanted.Name}", service, wanted.Port)));
        return (Build(service, port, options), null);
    }

    /// <summary>
    /// The endpoints (host:port) of a Service's port, for a Gateway API backendRef, which names the port by number;
    /// or the problem with the Service, its annotations or its port.
    /// </summary>
    public (IReadOnlyCollection<string>? Targets, string? Problem) Endpoints(string ns, string name, int port)
    {
        if (!_services.TryGetValue((ns, name), out var service)) return (null, $"Service \"{ns}/{name}\" not found");
        var (options, problems) = Use(service);
        if (problems.Count > 0) return (null, $"Service \"{ns}/{name}\" cannot be served: {string.Join("; ", problems)}");
        var found = FindPort(service, new V1ServiceBackendPort { Number = port });
        if (found is null) return (null, $"Service \"{ns}/{name}\" has no port {port}");
        return ([.. Targets(service, found, options)], null);
    }

    /// <summary>One result per Service some Ingress or route sends to.</summary>
    public IEnumerable<SourceResult> Results() =>
        _used.Select(u => new SourceResult(SourceObject.Of(_services[u.Key]), u.Value.Problems));

    private (ServiceOptions, List<Problem>) Use(V1Service service)
    {
        var key = (Namespace(service.Metadata), service.Metadata.Name);
        if (_used.TryGetValue(key, out var known)) return known;
        var problems = new List<Problem>();
        var options = ServiceOptions.From(service.Metadata.Annotations, problems);
        if (IsExternalName(service) && !AnnotationReader.IsHostname(service.Spec.ExternalName ?? ""))
            problems.Add(new Problem("spec.externalName", ProblemReasons.InvalidBackend, $"invalid hostname \"{service.Spec.ExternalName}\""));
        return _used[key] = (options, problems);
    }

    /// <summary>The Service port a backend names, by number or by name. An ExternalName Service may list no ports.</summary>
    private static V1ServicePort? FindPort(V1Service service, V1ServiceBackendPort? wanted)
    {
        foreach (var port in service.Spec?.Ports ?? [])
        {
            if (wanted?.Number is { } number ? port.Port == number : port.Name == wanted?.Name) return port;
        }
        if (IsExternalName(service) && wanted?.Number is { } external) return new V1ServicePort { Port = external };
        return null;
    }

    /// <summary>
    /// Why no port was found. An ExternalName Service is reached on any port a backend names by number, as Kong Ingress
    /// Controller does; a port named by name must be listed, since only the Service can say which number it stands for.
    /// </summary>
    private static string MissingPort(string service, V1Service found, V1ServiceBackendPort? wanted)
    {
        if (wanted?.Number is { } number) return $"Service \"{service}\" has no port {number}";
        if (IsExternalName(found))
            return $"ExternalName Service \"{service}\" lists no port named \"{wanted?.Name}\": name the port by number, or list it under that name in the Service's spec.ports";
        return $"Service \"{service}\" has no port \"{wanted?.Name}\"";
    }

    private KongRef Build(V1Service service, V1ServicePort port, ServiceOptions options)
    {
        var ns = Namespace(service.Metadata);
        var name = service.Metadata.Name;
        var key = $"Service/{ns}/{name}/{port.Port}";
        var serviceRef = new KongRef(EntityIds.For("services", key));
        if (_config.Has(serviceRef.Id)) return serviceRef;

        var tags = SourceTags.For(SourceObject.Of(service), _config.OwnerTag);
        var upstream = new KongUpstream
        {
            Id = EntityIds.For("upstreams", key),
            Name = $"{name}.{ns}.{port.Port}.svc",
            HostHeader = options.HostHeader,
            Tags = tags,
        };
        _config.Add(upstream);
        foreach (var address in Targets(service, port, options))
        {
            _config.Add(new KongTarget
            {
                Id = EntityIds.For("targets", key + "/" + address),
                Address = address,
                Upstream = new KongRef(upstream.Id),
                Tags = tags,
            });
        }
        if (PluginTarget.Read(service.Metadata) is { } plugins)
            _config.Add(new PluginTarget(SourceObject.Of(service), "services", serviceRef.Id.ToString(), plugins));
        _config.Add(new KongService
        {
            Id = serviceRef.Id,
            Name = $"{ns}.{name}.{port.Port}",
            Protocol = options.Protocol,
            Host = upstream.Name,
            Port = port.Port,
            Path = options.Path,
            Retries = options.Retries ?? KongService.DefaultRetries,
            ConnectTimeout = options.ConnectTimeout ?? KongService.DefaultTimeout,
            WriteTimeout = options.WriteTimeout ?? KongService.DefaultTimeout,
            ReadTimeout = options.ReadTimeout ?? KongService.DefaultTimeout,
            Tags = tags,
        });
        return serviceRef;
    }

    private IEnumerable<string> Targets(V1Service service, V1ServicePort port, ServiceOptions options)
    {
        var ns = Namespace(service.Metadata);
        if (IsExternalName(service)) return [$"{service.Spec.ExternalName}:{port.Port}"];
        if (options.ServiceUpstream) return [$"{service.Metadata.Name}.{ns}.svc:{port.Port}"];

        // EndpointSlices name their ports after the Service's ports ("" for a Service's single unnamed port).
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slice in _slices[(ns, service.Metadata.Name)])
        {
            var slicePort = slice.Ports?.FirstOrDefault(p => (p.Name ?? "") == (port.Name ?? ""));
            if (slicePort?.Port is not { } number) continue;
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                // An unknown readiness counts as ready, as Kubernetes documents; terminating endpoints get no new requests.
                if (endpoint.Conditions?.Ready == false || endpoint.Conditions?.Terminating == true) continue;
                foreach (var address in endpoint.Addresses ?? [])
                    addresses.Add(address.Contains(':') ? $"[{address}]:{number}" : $"{address}:{number}");
            }
        }
        return addresses;
    }

    private static bool IsExternalName(V1Service service) => service.Spec?.Type == "ExternalName";

    internal static string Namespace(V1ObjectMeta? meta) => meta?.NamespaceProperty ?? "default";
}
