using Gateway.Operator.GatewayApi;

namespace Gateway.Operator.Translation.GatewayApi;

/// <summary>What became of one HTTPRoute: its result and, per parentRef, where it attached.</summary>
public sealed record HttpRouteOutcome(HttpRoute Route, SourceResult Result, IReadOnlyList<ParentOutcome> Parents);

/// <summary>
/// One HTTPRoute into Kong routes: for each rule, one Kong service and upstream (<see cref="RuleBackends"/>), and for
/// each of its matches one Kong route per set of hostnames the listeners it attached to give it. A route attached to
/// no listener is translated to nothing; a bad match or backend leaves out that match or backend only.
/// </summary>
internal sealed class HttpRouteTranslator(ParentAttachment attachment, RuleBackends backends, ConfigurationBuilder config)
{
    public HttpRouteOutcome Translate(HttpRoute route)
    {
        var source = SourceObject.Of(route);
        var problems = new List<Problem>();
        var parents = attachment.Attach(route);
        var listeners = parents.SelectMany(p => p.Listeners).ToList();
        if (listeners.Count == 0) return new HttpRouteOutcome(route, new SourceResult(source, problems), parents);

        var tags = SourceTags.For(source, config.OwnerTag);
        var groups = Groups(listeners);
        long? createdAt = route.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)).ToUnixTimeSeconds() : null;
        var rules = route.Spec.Rules ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            IReadOnlyList<HttpRouteMatch?> matches = rules[i].Matches is { Count: > 0 } given ? given : [new HttpRouteMatch()];
            var translated = new List<(int Index, KongMatch Match)>();
            for (var j = 0; j < matches.Count; j++)
            {
                var (match, problem) = RouteMatches.Translate(matches[j], $"spec.rules[{i}].matches[{j}]");
                if (problem is not null) problems.Add(problem);
                else translated.Add((j, match!));
            }
            if (translated.Count == 0) continue;
            var service = backends.Build(route, i, rules[i], tags, problems);
            foreach (var (j, match) in translated)
            {
                for (var g = 0; g < groups.Count; g++)
                {
                    var key = $"HTTPRoute/{source.Namespace}/{source.Name}/rules/{i}/matches/{j}/hosts/{g}";
                    config.Add(new KongRoute
                    {
                        Id = EntityIds.For("routes", key),
                        Name = $"{source.Namespace}.{source.Name}.{i}.{j}.{g}",
                        Protocols = groups[g].Protocols,
                        Hosts = groups[g].Hosts,
                        Paths = match.Paths,
                        Headers = match.Headers,
                        Methods = match.Methods,
                        RegexPriority = match.RegexPriority,
                        StripPath = false,
                        PreserveHost = true,
                        Service = service,
                        CreatedAt = createdAt,
                        Tags = tags,
                    });
                }
            }
        }
        return new HttpRouteOutcome(route, new SourceResult(source, problems), parents);
    }

    /// <summary>The listeners' hostnames, each distinct set once with the protocols its listeners speak.</summary>
    private static List<(string[]? Hosts, string[] Protocols)> Groups(List<AttachedListener> listeners)
    {
        var groups = new List<(string[]? Hosts, string[] Protocols)>();
        foreach (var byHosts in listeners.GroupBy(l => l.Hosts is null ? "*" : string.Join(",", l.Hosts.Order(StringComparer.Ordinal))).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var protocols = byHosts.Select(l => l.Listener.Protocol == "HTTPS" ? "https" : "http").Distinct().Order(StringComparer.Ordinal).ToArray();
            var hosts = byHosts.First().Hosts?.Order(StringComparer.Ordinal).ToArray();
            groups.Add((hosts, protocols));
        }
        return groups;
    }
}
