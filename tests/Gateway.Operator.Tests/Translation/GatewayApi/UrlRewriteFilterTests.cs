using Gateway.Operator.GatewayApi;
using static Gateway.Operator.Tests.Translation.Cluster;
using static Gateway.Operator.Tests.Translation.GatewayApi.FilterObjects;
using static Gateway.Operator.Tests.Translation.GatewayApi.GatewayApiObjects;

namespace Gateway.Operator.Tests.Translation.GatewayApi;

/// <summary>URLRewrite filters: the path and Host the proxy sends upstream.</summary>
public sealed class UrlRewriteFilterTests
{
    private static HttpRouteFilter Rewrite(string? hostname = null, string? type = null, string? full = null, string? prefix = null) => new()
    {
        Type = "URLRewrite",
        UrlRewrite = new() { Hostname = hostname, Path = type is null ? null : new() { Type = type, ReplaceFullPath = full, ReplacePrefixMatch = prefix } },
    };

    // The spec's table of prefix replacements.
    [Theory]
    [InlineData("/foo", "/xyz", "/foo/bar", "/xyz/bar")]
    [InlineData("/foo", "/xyz/", "/foo/bar", "/xyz/bar")]
    [InlineData("/foo/", "/xyz", "/foo/bar", "/xyz/bar")]
    [InlineData("/foo/", "/xyz/", "/foo/bar", "/xyz/bar")]
    [InlineData("/foo", "/xyz", "/foo", "/xyz")]
    [InlineData("/foo", "/xyz", "/foo/", "/xyz/")]
    [InlineData("/foo", "", "/foo/bar", "/bar")]
    [InlineData("/foo", "", "/foo/", "/")]
    [InlineData("/foo", "", "/foo", "/")]
    [InlineData("/foo", "/", "/foo/", "/")]
    [InlineData("/foo", "/", "/foo", "/")]
    [InlineData("/", "/xyz", "/bar", "/xyz/bar")]
    public async Task A_matched_prefix_is_replaced_in_the_path_sent_upstream(string match, string replacement, string request, string upstream)
    {
        var output = FilterObjects.Translate(Route("site", Rule([Match("PathPrefix", match)], To("web")).WithFilters(Rewrite(type: "ReplacePrefixMatch", prefix: replacement))));

        var sent = await FilteredProxy.Snapshot(FilteredProxy.Document(output)).SendAsync(request);

        Assert.Equal(upstream, sent!.UpstreamPath);
    }

    [Fact]
    public async Task A_full_path_replacement_sends_that_path_whatever_was_asked()
    {
        var output = FilterObjects.Translate(Route("site", Rule([Match("PathPrefix", "/full")], To("web")).WithFilters(Rewrite(type: "ReplaceFullPath", full: "/rewritten"))));

        var snapshot = FilteredProxy.Snapshot(FilteredProxy.Document(output));

        Assert.Equal("/rewritten", (await snapshot.SendAsync("/full/one/two"))!.UpstreamPath);
        Assert.Equal("/rewritten", (await snapshot.SendAsync("/full"))!.UpstreamPath);
    }

    [Fact]
    public async Task A_hostname_rewrite_replaces_the_host_sent_upstream()
    {
        var output = FilterObjects.Translate(Route("site", Rule(null, To("web")).WithFilters(Rewrite(hostname: "internal.example"))));

        var sent = await FilteredProxy.Snapshot(FilteredProxy.Document(output)).SendAsync("/x", host: "public.example");

        Assert.Equal("internal.example", sent!.UpstreamHeaders.Host);
        Assert.Equal("/x", sent.UpstreamPath);
    }

    [Fact]
    public async Task A_prefix_replacement_beside_an_exact_match_is_incompatible_and_leaves_the_rule_out()
    {
        var output = FilterObjects.Translate(Route("site",
            Rule([Match("PathPrefix", "/a"), Match("Exact", "/b")], To("web")).WithFilters(Rewrite(type: "ReplacePrefixMatch", prefix: "/z"))));

        var problem = Assert.Single(output.ResultFor("HTTPRoute", "site").Problems);
        Assert.Equal(("spec.rules[0].filters[0].urlRewrite.path", "IncompatibleFilters"), (problem.Field, problem.Reason));
        Assert.Null(await FilteredProxy.Snapshot(FilteredProxy.Document(output)).SendAsync("/a"));
    }

    [Fact]
    public void A_rewrite_with_a_redirect_is_incompatible()
    {
        var output = FilterObjects.Translate(Route("site", Rule(null, To("web")).WithFilters(
            Rewrite(hostname: "internal.example"), new HttpRouteFilter { Type = "RequestRedirect", RequestRedirect = new() { Hostname = "x.example" } })));

        var problem = Assert.Single(output.ResultFor("HTTPRoute", "site").Problems);
        Assert.Equal(("spec.rules[0].filters[1].requestRedirect", "IncompatibleFilters"), (problem.Field, problem.Reason));
    }
}
