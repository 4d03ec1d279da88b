using System.Text.Json.Nodes;
using Gateway.Operator.GatewayApi;
using Gateway.Operator.Translation.Plugins;

namespace Gateway.Operator.Translation.GatewayApi;

/// <summary>What became of one HTTPRoute: its result and, per parentRef, where it attached.</summary>
public sealed record HttpRouteOutcome(HttpRoute Route, SourceResult Result, IReadOnlyList<ParentOutcome> Parents);

/// <summary>
/// One HTTPRoute into Kong routes: for each rule, one Kong service and upstream (<see cref="RuleBackends"/>), and for
/// each of its matches one Kong route per set of hostnames the listeners it attached to give it, with the plugins
/// its filters become (<see cref="RuleFilters"/>). A route attached to no listener is translated to nothing; a bad
/// match or backend leaves out that match or backend only; a filter the proxy cannot apply leaves out its rule; a
/// rule with no usable backend (and no redirect) answers 500. The Kong routes are added once every HTTPRoute is
/// translated (<see cref="AddRoutes"/>), ranked across all of them.
/// </summary>
internal sealed class HttpRouteTranslator(ParentAttachment attachment, RuleBackends backends, ConfigurationBuilder config)
{
    public const string RequestMirror = "request-mirror";
    public const string RequestTermination = "request-termination";
    public const string RequestTransformer = "request-transformer";
    public const string ResponseTransformer = "response-transformer";

    private readonly MatchPrecedence _precedence = new();

    private sealed record Group(string[]? Hosts, string[] Protocols);

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
            if (RuleFilters.Read(rules[i], i, problems) is not { } filters) continue;
            if (!Redirects(filters, translated, problems, out var redirects)) continue;

            var prefix = filters.PrefixReplacement is { } replacement ? (replacement.Length == 0 ? "/" : replacement) : null;
            var service = backends.Build(route, i, rules[i], tags, problems, prefix);
            var mirrors = filters.Mirrors.Select(m => backends.Mirror(route, m.Filter, m.Field, problems)).OfType<JsonObject>().ToList();
            var mirror = mirrors.Count == 0 ? null : new JsonObject { ["mirrors"] = new JsonArray([.. mirrors]) };
            var failure = filters.Failure ?? (redirects is null && !service.Usable ? "no backend of this rule can take requests" : null);
            var termination = failure is not null ? new JsonObject { ["status_code"] = 500, ["message"] = failure }
                : redirects is null && service.InvalidShare > 0
                    ? new JsonObject { ["status_code"] = 500, ["message"] = "this request's share of the rule goes to a backend that cannot be used", ["tollgate_share"] = Math.Round(service.InvalidShare, 6) }
                    : null;
            for (var m = 0; m < translated.Count; m++)
            {
                var (j, match) = translated[m];
                for (var g = 0; g < groups.Count; g++)
                {
                    var key = $"HTTPRoute/{source.Namespace}/{source.Name}/rules/{i}/matches/{j}/hosts/{g}";
                    var id = EntityIds.For("routes", key);
                    _precedence.Add(new KongRoute
                    {
                        Id = id,
                        Name = $"{source.Namespace}.{source.Name}.{i}.{j}.{g}",
                        Protocols = groups[g].Protocols,
                        Hosts = groups[g].Hosts,
                        Paths = match.Paths,
                        Headers = match.Headers,
                        Queries = match.Queries,
                        Methods = match.Methods,
                        // A replaced prefix: the route strips what it matched and the service's path stands in.
                        StripPath = prefix is not null,
                        PreserveHost = true,
                        Service = service.Service,
                        CreatedAt = createdAt,
                        Tags = tags,
                    }, match.Specificity, new MatchPrecedence.TieBreak(createdAt ?? 0, source.Namespace, source.Name, i, j, g));
                    var plugins = new List<KongEntity>();
                    AddPlugin(plugins, key, id, RequestTransformer, filters.RequestTransformer(), tags);
                    AddPlugin(plugins, key, id, ResponseTransformer, filters.ResponseTransformer(), tags);
                    AddPlugin(plugins, key, id, RedirectLocation.Plugin, redirects?[m], tags);
                    AddPlugin(plugins, key, id, RequestTermination, termination, tags);
                    AddPlugin(plugins, key, id, RequestMirror, mirror, tags);
                    if (plugins.Count > 0 || filters.Extensions.Count > 0)
                        config.Add(new PluginTarget(source, "routes", id.ToString(), null) { Plugins = plugins, References = filters.Extensions });
                }
            }
        }
        return new HttpRouteOutcome(route, new SourceResult(source, problems), parents);
    }

    /// <summary>Adds the Kong routes of every HTTPRoute translated, ranked across all of them (<see cref="MatchPrecedence"/>).</summary>
    public void AddRoutes()
    {
        foreach (var route in _precedence.Ranked()) config.Add(route);
    }

    /// <summary>The redirect plugin's configuration for each match, or null without a redirect; false when one cannot be written.</summary>
    private static bool Redirects(RuleFilters filters, List<(int Index, KongMatch Match)> matches, List<Problem> problems, out List<JsonObject>? redirects)
    {
        redirects = null;
        if (filters.Redirect is not { } redirect) return true;
        redirects = [];
        foreach (var (_, match) in matches)
        {
            var (location, problem) = RedirectLocation.For(redirect, filters.RedirectField, match.Prefix);
            if (problem is not null)
            {
                problems.Add(problem);
                return false;
            }
            redirects.Add(location!);
        }
        return true;
    }

    private static void AddPlugin(List<KongEntity> plugins, string routeKey, Guid routeId, string name, JsonObject? config, string[] tags)
    {
        if (config is null) return;
        plugins.Add(new KongEntity("plugins", new JsonObject
        {
            ["id"] = EntityIds.For("plugins", routeKey + "/" + name).ToString(),
            ["name"] = name,
            ["enabled"] = true,
            ["config"] = config.DeepClone(),
            ["route"] = new JsonObject { ["id"] = routeId.ToString() },
            ["tags"] = new JsonArray([.. tags.Select(t => (JsonNode)t)]),
        }));
    }

    /// <summary>The listeners' hostnames, each distinct set once with the protocols its listeners speak and their ports.</summary>
    private static List<Group> Groups(List<AttachedListener> listeners)
    {
        var groups = new List<Group>();
        foreach (var byHosts in listeners.GroupBy(l => l.Hosts is null ? "*" : string.Join(",", l.Hosts.Order(StringComparer.Ordinal))).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var protocols = byHosts.Select(l => l.Listener.Protocol == "HTTPS" ? "https" : "http").Distinct().Order(StringComparer.Ordinal).ToArray();
            var hosts = byHosts.First().Hosts?.Order(StringComparer.Ordinal).ToArray();
            groups.Add(new Group(hosts, protocols));
        }
        return groups;
    }
}
