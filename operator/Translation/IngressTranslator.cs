namespace Gateway.Operator.Translation;

/// <summary>
/// One Ingress into Kong routes: one route per rule and path (the rule's host, the path's Kong paths, the backend's
/// service) and one for the default backend, named and identified by what they match (<see cref="IngressRouteIdentity"/>). A bad path or backend leaves out that route only; a bad annotation
/// leaves out the whole Ingress, since every route would behave other than asked.
/// </summary>
internal sealed class IngressTranslator(Backends backends, Certificates certificates, ConfigurationBuilder config)
{
    public SourceResult Translate(V1Ingress ingress)
    {
        var source = SourceObject.Of(ingress);
        var problems = new List<Problem>();
        var options = RouteOptions.From(ingress.Metadata.Annotations, problems);
        if (problems.Count > 0) return new SourceResult(source, problems);

        var tags = SourceTags.For(source, config.OwnerTag);
        var plugins = PluginTarget.Read(ingress.Metadata);
        var identity = new IngressRouteIdentity(source);
        var rules = ingress.Spec?.Rules ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            string[]? hosts = null;
            if (!string.IsNullOrEmpty(rule.Host))
            {
                if (!IsRouteHost(rule.Host))
                {
                    problems.Add(new Problem($"spec.rules[{i}].host", ProblemReasons.InvalidHost,
                        $"invalid host \"{rule.Host}\": expected a hostname, optionally *.-prefixed"));
                    continue;
                }
                hosts = [rule.Host.ToLowerInvariant()];
            }
            var paths = rule.Http?.Paths ?? [];
            for (var j = 0; j < paths.Count; j++)
            {
                var field = $"spec.rules[{i}].http.paths[{j}]";
                var (kongPaths, error) = IngressPaths.ToKong(paths[j].Path, paths[j].PathType);
                if (kongPaths is null)
                {
                    problems.Add(new Problem(field + ".path", ProblemReasons.InvalidPath, error!));
                    continue;
                }
                var route = Route(identity.Path(hosts?[0], paths[j].PathType, paths[j].Path), hosts, kongPaths, options, tags);
                AddRoute(route, paths[j].Backend, field + ".backend", source, plugins, problems);
            }
        }
        if (ingress.Spec?.DefaultBackend is { } fallback)
        {
            var route = Route(identity.DefaultBackend(), null, ["/"], options, tags);
            AddRoute(route, fallback, "spec.defaultBackend", source, plugins, problems);
        }
        var tls = ingress.Spec?.Tls ?? [];
        for (var k = 0; k < tls.Count; k++) certificates.Add(ingress, k, tls[k], problems);
        return new SourceResult(source, problems);
    }

    private void AddRoute(Func<KongRef, KongRoute> route, V1IngressBackend? backend, string field, SourceObject source, string? plugins, List<Problem> problems)
    {
        if (backend is null)
        {
            problems.Add(new Problem(field, ProblemReasons.InvalidBackend, "required"));
            return;
        }
        var (service, problem) = backends.Resolve(source.Namespace, backend, field);
        if (service is null)
        {
            problems.Add(problem!);
            return;
        }
        var built = route(service);
        config.Add(built);
        if (plugins is not null) config.Add(new PluginTarget(source, "routes", built.Id.ToString(), plugins));
    }

    private static Func<KongRef, KongRoute> Route((string Key, string Name) identity, string[]? hosts, string[] paths, RouteOptions options, string[] tags) =>
        service => new KongRoute
        {
            Id = EntityIds.For("routes", identity.Key),
            Name = identity.Name,
            Protocols = options.Protocols,
            Methods = options.Methods,
            Hosts = hosts,
            Paths = paths,
            HttpsRedirectStatusCode = options.HttpsRedirectStatusCode,
            RegexPriority = options.RegexPriority,
            StripPath = options.StripPath,
            PreserveHost = options.PreserveHost,
            Service = service,
            Tags = tags,
        };

    private static bool IsRouteHost(string host) =>
        AnnotationReader.IsHostname(host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host);
}
