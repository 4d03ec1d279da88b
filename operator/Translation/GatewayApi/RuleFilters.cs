using System.Text.Json.Nodes;
using Gateway.Operator.GatewayApi;

namespace Gateway.Operator.Translation.GatewayApi;

/// <summary>
/// What the filters of one HTTPRoute rule ask of the proxy, as plugin configurations: request headers, the URL sent
/// upstream and its Host (request-transformer), response headers (response-transformer), a redirect, a prefix
/// replacement (done by the route's strip_path and its service's path), a mirror, and the TollgatePlugins ExtensionRefs
/// name.
/// The filters of the rule's backend count as the rule's when it has just one: the proxy applies a rule's plugins to
/// all its backends alike.
/// </summary>
internal sealed class RuleFilters
{
    public const string PluginKind = "TollgatePlugin";

    private readonly TransformerConfig _request = new();
    private readonly TransformerConfig _response = new();
    private string? _uri;
    private bool _rewrites;

    public HttpRequestRedirectFilter? Redirect { get; private set; }

    /// <summary>The field of the redirect filter, for its problems.</summary>
    public string RedirectField { get; private set; } = "";

    /// <summary>Where copies of the requests go, each mirror with its field (for its problems).</summary>
    public List<(HttpRequestMirrorFilter Filter, string Field)> Mirrors { get; } = [];

    /// <summary>What replaces the matched prefix (without its trailing slash; "" for the root), or null.</summary>
    public string? PrefixReplacement { get; private set; }

    public List<PluginReference> Extensions { get; } = [];

    /// <summary>Why every request of the rule must be answered with an error rather than forwarded, or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>
    /// The rule's filters, or null when the rule cannot be served as asked: a filter the proxy cannot express, or
    /// filters that cannot go together (each named in <paramref name="problems"/>).
    /// </summary>
    public static RuleFilters? Read(HttpRouteRule rule, int ruleIndex, List<Problem> problems)
    {
        var filters = new RuleFilters();
        var count = problems.Count;
        var field = $"spec.rules[{ruleIndex}]";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var own = rule.Filters ?? [];
        for (var j = 0; j < own.Count; j++)
            filters.Add(rule, own[j], $"{field}.filters[{j}]", seen, problems);
        var backends = rule.BackendRefs ?? [];
        for (var k = 0; k < backends.Count; k++)
        {
            var backendFilters = backends[k].Filters ?? [];
            if (backendFilters.Count == 0) continue;
            if (backends.Count > 1)
            {
                problems.Add(new Problem($"{field}.backendRefs[{k}].filters", RouteReasons.IncompatibleFilters,
                    "filters of one backend among several are not supported: the proxy applies a rule's filters to all its backends; put them on the rule"));
                continue;
            }
            for (var j = 0; j < backendFilters.Count; j++)
                filters.Add(rule, backendFilters[j], $"{field}.backendRefs[{k}].filters[{j}]", seen, problems);
        }
        if (filters.Redirect is not null && filters._rewrites)
            problems.Add(new Problem(filters.RedirectField, RouteReasons.IncompatibleFilters, "RequestRedirect and URLRewrite cannot both be set"));
        // An unknown extension does not leave the rule out: the spec has its requests answered with an error.
        return problems.Skip(count).All(p => p.Reason == RouteReasons.InvalidKind) ? filters : null;
    }

    private void Add(HttpRouteRule rule, HttpRouteFilter filter, string field, HashSet<string> seen, List<Problem> problems)
    {
        // Only ExtensionRef and RequestMirror may repeat: the proxy takes one plugin of a name per route, and one
        // request-mirror plugin carries every mirror.
        if (filter.Type is not ("ExtensionRef" or "RequestMirror") && !seen.Add(filter.Type))
        {
            problems.Add(new Problem(field + ".type", RouteReasons.IncompatibleFilters, $"a rule takes one {filter.Type} filter"));
            return;
        }
        switch (filter.Type)
        {
            case "RequestHeaderModifier" when filter.RequestHeaderModifier is { } modifier:
                _request.Modify(modifier, field + ".requestHeaderModifier", problems);
                break;
            case "ResponseHeaderModifier" when filter.ResponseHeaderModifier is { } modifier:
                _response.Modify(modifier, field + ".responseHeaderModifier", problems);
                break;
            case "URLRewrite" when filter.UrlRewrite is { } rewrite:
                Rewrite(rule, rewrite, field + ".urlRewrite", problems);
                break;
            case "RequestRedirect" when filter.RequestRedirect is { } redirect:
                Redirect = redirect;
                RedirectField = field + ".requestRedirect";
                break;
            case "ExtensionRef" when filter.ExtensionRef is { } reference:
                if (reference.Group == Entities.ApiGateway.Group && reference.Kind == PluginKind)
                    Extensions.Add(new PluginReference(reference.Name, field + ".extensionRef"));
                else
                {
                    // The spec: an extension that cannot be resolved is not skipped; its requests get an error.
                    problems.Add(new Problem(field + ".extensionRef", RouteReasons.InvalidKind,
                        $"unsupported extension kind \"{reference.Kind}\" of group \"{reference.Group}\": only {PluginKind} of {Entities.ApiGateway.Group}"));
                    Failure ??= "the rule names an extension the gateway does not know";
                }
                break;
            case "RequestMirror" when filter.RequestMirror is { } mirror:
                Mirrors.Add((mirror, field + ".requestMirror"));
                break;
            default:
                problems.Add(new Problem(field + ".type", RouteReasons.UnsupportedValue,
                    $"unsupported filter \"{filter.Type}\"" + (IsKnown(filter.Type) ? " without its settings" : "")));
                break;
        }
    }

    private static bool IsKnown(string type) =>
        type is "RequestHeaderModifier" or "ResponseHeaderModifier" or "URLRewrite" or "RequestRedirect" or "RequestMirror" or "ExtensionRef";

    private void Rewrite(HttpRouteRule rule, HttpUrlRewriteFilter rewrite, string field, List<Problem> problems)
    {
        _rewrites = true;
        if (rewrite.Hostname is { } hostname)
            _request.Set("host", hostname, field + ".hostname", problems);
        switch (rewrite.Path)
        {
            case null:
                break;
            case { Type: "ReplaceFullPath", ReplaceFullPath: { } path }:
                if (TransformerConfig.IsLiteral(path, field + ".path.replaceFullPath", problems)) _uri = path;
                break;
            case { Type: "ReplacePrefixMatch", ReplacePrefixMatch: var prefix }:
                // A prefix is replaced only where one was matched: the spec refuses it beside any other kind of match.
                var matches = rule.Matches is { Count: > 0 } given ? given : [new HttpRouteMatch()];
                if (matches.Any(m => (m.Path?.Type ?? "PathPrefix") != "PathPrefix"))
                    problems.Add(new Problem(field + ".path", RouteReasons.IncompatibleFilters, "ReplacePrefixMatch needs every match of the rule to be a PathPrefix match"));
                else PrefixReplacement = (prefix ?? "").TrimEnd('/');
                break;
            default:
                problems.Add(new Problem(field + ".path.type", RouteReasons.UnsupportedValue, $"unsupported path modifier \"{rewrite.Path.Type}\""));
                break;
        }
    }

    /// <summary>The request-transformer configuration, or null when no filter changes the request.</summary>
    public JsonObject? RequestTransformer()
    {
        if (_request.IsEmpty && _uri is null) return null;
        var config = _request.ToJson();
        if (_uri is not null) ((JsonObject)(config["replace"] ??= new JsonObject()))["uri"] = _uri;
        return config;
    }

    /// <summary>The response-transformer configuration, or null when no filter changes the response.</summary>
    public JsonObject? ResponseTransformer() => _response.IsEmpty ? null : _response.ToJson();

    /// <summary>
    /// Header operations in Kong's transformer terms: the spec's <c>set</c> is replace (when present) and add (when
    /// absent), <c>add</c> is append, <c>remove</c> is remove; the transformers run them in that order.
    /// </summary>
    private sealed class TransformerConfig
    {
        private readonly List<string> _remove = [];
        private readonly List<string> _replace = [];
        private readonly List<string> _append = [];

        public bool IsEmpty => _remove.Count + _replace.Count + _append.Count == 0;

        public void Modify(HttpHeaderFilter modifier, string field, List<Problem> problems)
        {
            var set = modifier.Set ?? [];
            for (var i = 0; i < set.Count; i++) Set(set[i].Name, set[i].Value, $"{field}.set[{i}]", problems);
            var add = modifier.Add ?? [];
            for (var i = 0; i < add.Count; i++)
                if (IsLiteral(add[i].Value, $"{field}.add[{i}].value", problems)) _append.Add($"{add[i].Name}:{add[i].Value}");
            _remove.AddRange(modifier.Remove ?? []);
        }

        public void Set(string name, string value, string field, List<Problem> problems)
        {
            if (IsLiteral(value, field, problems)) _replace.Add($"{name}:{value}");
        }

        /// <summary>
        /// The transformers read <c>$(…)</c> as a template over the request; a value holding one would be rendered
        /// rather than sent as written, so it is refused.
        /// </summary>
        public static bool IsLiteral(string value, string field, List<Problem> problems)
        {
            if (!value.Contains("$(", StringComparison.Ordinal)) return true;
            problems.Add(new Problem(field, RouteReasons.UnsupportedValue, "a value containing \"$(\" is not supported: the proxy's transformers read it as a template"));
            return false;
        }

        public JsonObject ToJson()
        {
            var config = new JsonObject();
            if (_remove.Count > 0) config["remove"] = Headers(_remove);
            if (_replace.Count > 0)
            {
                config["replace"] = Headers(_replace);
                config["add"] = Headers(_replace);
            }
            if (_append.Count > 0) config["append"] = Headers(_append);
            return config;
        }

        private static JsonObject Headers(List<string> entries) => new() { ["headers"] = new JsonArray([.. entries.Select(e => (JsonNode)e)]) };
    }
}
