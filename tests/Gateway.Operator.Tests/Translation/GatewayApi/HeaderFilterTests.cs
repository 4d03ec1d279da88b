using Gateway.Operator.GatewayApi;
using Gateway.Operator.Translation;
using static Gateway.Operator.Tests.Translation.Cluster;
using static Gateway.Operator.Tests.Translation.GatewayApi.GatewayApiObjects;
using static Gateway.Operator.Tests.Translation.GatewayApi.FilterObjects;

namespace Gateway.Operator.Tests.Translation.GatewayApi;

/// <summary>RequestHeaderModifier and ResponseHeaderModifier filters, applied by the proxy's transformer plugins.</summary>
public sealed class HeaderFilterTests
{
    [Fact]
    public async Task Request_headers_are_set_added_and_removed_before_the_request_goes_upstream()
    {
        var output = Translate(Route("site", Rule(null, To("web")).WithFilters(RequestHeaders(Headers(
            set: [("X-Set", "one"), ("X-Fresh", "new")], add: [("X-Add", "b")], remove: ["X-Remove"])))));

        var sent = await FilteredProxy.Snapshot(FilteredProxy.Document(output)).SendAsync("/", headers: [("X-Set", "old"), ("X-Add", "a"), ("X-Remove", "gone")]);

        Assert.Equal("one", sent!.UpstreamHeaders["X-Set"]);
        Assert.Equal("new", sent.UpstreamHeaders["X-Fresh"]);
        Assert.Equal<string?>(["a", "b"], sent.UpstreamHeaders["X-Add"].ToList());
        Assert.False(sent.UpstreamHeaders.ContainsKey("X-Remove"));
        Assert.True(output.ResultFor("HTTPRoute", "site").Programmed);
    }

    [Fact]
    public async Task Response_headers_are_set_added_and_removed_before_the_response_goes_to_the_client()
    {
        var output = Translate(Route("site", Rule(null, To("web")).WithFilters(ResponseHeaders(Headers(
            set: [("X-Set", "one"), ("X-Fresh", "new")], add: [("X-Add", "b")], remove: ["X-Remove"])))));

        var sent = await FilteredProxy.Snapshot(FilteredProxy.Document(output)).SendAsync("/");
        var response = sent!.Respond([("X-Set", "old"), ("X-Add", "a"), ("X-Remove", "gone")]);

        Assert.Equal("one", response["X-Set"]);
        Assert.Equal("new", response["X-Fresh"]);
        Assert.Equal<string?>(["a", "b"], response["X-Add"].ToList());
        Assert.False(response.ContainsKey("X-Remove"));
        Assert.False(sent.UpstreamHeaders.ContainsKey("X-Fresh"));
    }

    [Fact]
    public async Task The_filters_of_a_rules_only_backend_are_the_rules()
    {
        var backend = To("web");
        backend.Filters = [RequestHeaders(Headers(set: [("X-Backend", "web")]))];
        var output = Translate(Route("site", Rule(null, backend)));

        var sent = await FilteredProxy.Snapshot(FilteredProxy.Document(output)).SendAsync("/");

        Assert.Equal("web", sent!.UpstreamHeaders["X-Backend"]);
    }

    [Fact]
    public async Task Filters_of_one_backend_among_several_leave_the_rule_out_as_incompatible()
    {
        var backend = To("web");
        backend.Filters = [RequestHeaders(Headers(set: [("X-Backend", "web")]))];
        var output = Translate(Route("site", Rule([Match("PathPrefix", "/split")], backend, To("api")), Rule([Match("PathPrefix", "/other")], To("api"))));

        var problem = Assert.Single(output.ResultFor("HTTPRoute", "site").Problems);
        Assert.Equal(("spec.rules[0].backendRefs[0].filters", "IncompatibleFilters"), (problem.Field, problem.Reason));
        var snapshot = FilteredProxy.Snapshot(FilteredProxy.Document(output));
        Assert.Null(await snapshot.SendAsync("/split"));
        Assert.NotNull(await snapshot.SendAsync("/other"));
    }

    [Fact]
    public async Task A_value_the_transformers_would_read_as_a_template_is_refused_and_its_rule_left_out()
    {
        var output = Translate(Route("site", Rule(null, To("web")).WithFilters(RequestHeaders(Headers(add: [("X-Echo", "$(headers.authorization)")])))));

        var problem = Assert.Single(output.ResultFor("HTTPRoute", "site").Problems);
        Assert.Equal(("spec.rules[0].filters[0].requestHeaderModifier.add[0].value", "UnsupportedValue"), (problem.Field, problem.Reason));
        Assert.Null(await FilteredProxy.Snapshot(FilteredProxy.Document(output)).SendAsync("/"));
    }

    [Fact]
    public void A_repeated_filter_type_is_incompatible()
    {
        var output = Translate(Route("site", Rule(null, To("web")).WithFilters(
            RequestHeaders(Headers(set: [("X-A", "1")])), RequestHeaders(Headers(set: [("X-B", "2")])))));

        var problem = Assert.Single(output.ResultFor("HTTPRoute", "site").Problems);
        Assert.Equal(("spec.rules[0].filters[1].type", "IncompatibleFilters"), (problem.Field, problem.Reason));
        Assert.Empty(output.Configuration.Routes);
    }
}

/// <summary>Builds filters, and translates routes onto one HTTP listener with two Services.</summary>
internal static class FilterObjects
{
    internal static readonly V1Service[] Services = [Service("web"), Service("api")];

    internal static readonly V1EndpointSlice[] Slices =
    [
        Slice("web", "web-1", 8080, null, Endpoint("10.0.0.1")),
        Slice("api", "api-1", 9000, null, Endpoint("10.0.1.1")),
    ];

    internal static TranslationOutput Translate(params HttpRoute[] routes) =>
        Cluster.Translate(Input([GatewayWith("gw", Http())], routes, Services, Slices));

    internal static HttpRouteRule WithFilters(this HttpRouteRule rule, params HttpRouteFilter[] filters)
    {
        rule.Filters = [.. filters];
        return rule;
    }

    internal static HttpHeaderFilter Headers((string, string)[]? set = null, (string, string)[]? add = null, string[]? remove = null) => new()
    {
        Set = set?.Select(h => new HttpHeader { Name = h.Item1, Value = h.Item2 }).ToList(),
        Add = add?.Select(h => new HttpHeader { Name = h.Item1, Value = h.Item2 }).ToList(),
        Remove = remove?.ToList(),
    };

    internal static HttpRouteFilter RequestHeaders(HttpHeaderFilter headers) => new() { Type = "RequestHeaderModifier", RequestHeaderModifier = headers };

    internal static HttpRouteFilter ResponseHeaders(HttpHeaderFilter headers) => new() { Type = "ResponseHeaderModifier", ResponseHeaderModifier = headers };
}
