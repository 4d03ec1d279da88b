using System.Text.Json.Nodes;
using Gateway.Operator.GatewayApi;
using Gateway.Operator.Translation;
using static Gateway.Operator.Tests.Translation.Cluster;
using static Gateway.Operator.Tests.Translation.GatewayApi.FilterObjects;
using static Gateway.Operator.Tests.Translation.GatewayApi.GatewayApiObjects;

namespace Gateway.Operator.Tests.Translation.GatewayApi;

/// <summary>
/// RequestRedirect filters as the proxy's redirect plugin, and rules that cannot forward (all or a share of their
/// requests) answered 500 by its request-termination plugin: the document's shape is checked here, the plugins'
/// behaviour in the proxy's tests and end to end.
/// </summary>
public sealed class RedirectAndFailureTests
{
    private static HttpRouteFilter Redirect(string? scheme = null, string? hostname = null, int? port = null, int? status = null, HttpPathModifier? path = null) =>
        new() { Type = "RequestRedirect", RequestRedirect = new() { Scheme = scheme, Hostname = hostname, Port = port, StatusCode = status, Path = path } };

    private static JsonObject OnlyPlugin(TranslationOutput output, string name, string route)
    {
        var plugin = Assert.Single(FilteredProxy.Document(output).PluginsNamed(name));
        Assert.Equal(output.Route(route).Id.ToString(), (string?)plugin["route"]!["id"]);
        return (JsonObject)plugin["config"]!;
    }

    private static void AssertConfig(string expected, JsonObject config) => Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), config.ToJsonString());

    [Fact]
    public void A_redirect_to_another_host_keeps_the_request_path_and_the_listener_scheme()
    {
        var output = FilterObjects.Translate(Route("move", Rule((HttpRouteMatch[]?)null).WithFilters(Redirect(hostname: "new.example", status: 301))));

        AssertConfig("""{"status_code":301,"tollgate_request_redirect":{"hostname":"new.example"}}""", OnlyPlugin(output, "redirect", "default.move.0.0.0"));
        Assert.Empty(FilteredProxy.Document(output).PluginsNamed("request-termination"));
        Assert.True(output.ResultFor("HTTPRoute", "move").Programmed);
    }

    [Fact]
    public void Scheme_port_and_a_full_path_make_the_location_and_302_is_the_default()
    {
        var output = FilterObjects.Translate(Route("move", Rule((HttpRouteMatch[]?)null).WithFilters(
            Redirect(scheme: "https", hostname: "new.example", port: 8443, path: new() { Type = "ReplaceFullPath", ReplaceFullPath = "/landing" }))));

        AssertConfig("""{"status_code":302,"tollgate_request_redirect":{"scheme":"https","hostname":"new.example","port":8443,"replace_full_path":"/landing"}}""", OnlyPlugin(output, "redirect", "default.move.0.0.0"));
    }

    [Fact]
    public void The_host_and_port_left_to_the_request_are_the_requests()
    {
        var output = Cluster.Translate(Input([GatewayWith("gw", Http(port: 8080))],
            [Route("move", Rule((HttpRouteMatch[]?)null).WithFilters(Redirect(status: 308))).WithHostnames("site.example")], FilterObjects.Services, FilterObjects.Slices));

        AssertConfig("""{"status_code":308,"tollgate_request_redirect":{}}""", OnlyPlugin(output, "redirect", "default.move.0.0.0"));
    }

    [Fact]
    public void A_given_scheme_takes_its_well_known_port()
    {
        var output = Cluster.Translate(Input([GatewayWith("gw", Http(port: 8080))],
            [Route("move", Rule((HttpRouteMatch[]?)null).WithFilters(Redirect(scheme: "https"))).WithHostnames("site.example")], FilterObjects.Services, FilterObjects.Slices));

        AssertConfig("""{"status_code":302,"tollgate_request_redirect":{"scheme":"https"}}""", OnlyPlugin(output, "redirect", "default.move.0.0.0"));
    }

    [Fact]
    public void A_prefix_replacement_in_a_redirect_replaces_the_prefix_each_match_matched()
    {
        var path = new HttpPathModifier { Type = "ReplacePrefixMatch", ReplacePrefixMatch = "/new" };
        var output = FilterObjects.Translate(Route("move", Rule([Match("PathPrefix", "/old/"), Match("PathPrefix", "/older")]).WithFilters(Redirect(path: path))));

        var plugins = FilteredProxy.Document(output).PluginsNamed("redirect");
        Assert.Equal(2, plugins.Count);
        AssertConfig("""{"status_code":302,"tollgate_request_redirect":{"prefix_match":"/old/","replace_prefix_match":"/new"}}""",
            (JsonObject)plugins.Single(p => (string?)p["route"]!["id"] == output.Route("default.move.0.0.0").Id.ToString())["config"]!);
        AssertConfig("""{"status_code":302,"tollgate_request_redirect":{"prefix_match":"/older","replace_prefix_match":"/new"}}""",
            (JsonObject)plugins.Single(p => (string?)p["route"]!["id"] == output.Route("default.move.0.1.0").Id.ToString())["config"]!);
        Assert.True(output.ResultFor("HTTPRoute", "move").Programmed);
    }

    [Theory]
    [InlineData("/", "")]
    [InlineData("", "")]
    [InlineData("/new/", "/new/")]
    public void A_prefix_replaced_by_the_root_removes_the_prefix(string replacement, string expected)
    {
        var path = new HttpPathModifier { Type = "ReplacePrefixMatch", ReplacePrefixMatch = replacement };
        var output = FilterObjects.Translate(Route("move", Rule([Match("PathPrefix", "/old")]).WithFilters(Redirect(path: path))));

        Assert.Equal(expected, (string?)OnlyPlugin(output, "redirect", "default.move.0.0.0")["tollgate_request_redirect"]!["replace_prefix_match"]);
    }

    [Fact]
    public void A_prefix_replacement_in_a_redirect_needs_prefix_matches_and_leaves_the_rule_out_otherwise()
    {
        var path = new HttpPathModifier { Type = "ReplacePrefixMatch", ReplacePrefixMatch = "/new" };
        var output = FilterObjects.Translate(Route("move", Rule([Match("PathPrefix", "/old"), Match("Exact", "/exact")]).WithFilters(Redirect(path: path))));

        var problem = Assert.Single(output.ResultFor("HTTPRoute", "move").Problems);
        Assert.Equal(("spec.rules[0].filters[0].requestRedirect.path", "IncompatibleFilters"), (problem.Field, problem.Reason));
        Assert.Empty(output.Configuration.Routes);
    }

    [Fact]
    public void A_rule_whose_backends_are_all_invalid_or_absent_answers_500()
    {
        var output = FilterObjects.Translate(
            Route("broken", Rule(null, To("missing"))),
            Route("empty", Rule([Match("PathPrefix", "/empty")])));

        var terminations = FilteredProxy.Document(output).PluginsNamed("request-termination");
        Assert.Equal(
            [output.Route("default.broken.0.0.0").Id.ToString(), output.Route("default.empty.0.0.0").Id.ToString()],
            terminations.Select(p => (string)p["route"]!["id"]!).Order());
        Assert.All(terminations, p => Assert.Equal(500, (int)p["config"]!["status_code"]!));
        Assert.All(terminations, p => Assert.Null(p["config"]!["tollgate_share"]));
        Assert.Equal("BackendNotFound", output.ResultFor("HTTPRoute", "broken").Reason);
    }

    [Fact]
    public void The_share_of_a_rule_on_invalid_backends_is_answered_500()
    {
        var output = FilterObjects.Translate(
            Route("partly", Rule(null, To("web", weight: 3), To("missing", weight: 1), To("gone", weight: 0))));

        var config = OnlyPlugin(output, "request-termination", "default.partly.0.0.0");
        Assert.Equal(500, (int)config["status_code"]!);
        Assert.Equal(0.25, (double)config["tollgate_share"]!);
        Assert.Equal("BackendNotFound", output.ResultFor("HTTPRoute", "partly").Reason);
    }

    [Fact]
    public void A_service_without_ready_endpoints_is_left_to_the_proxys_503()
    {
        var output = Cluster.Translate(Input([GatewayWith("gw", Http())], [Route("idle", Rule(null, To("web")))], [Service("web")], []));

        Assert.Empty(FilteredProxy.Document(output).PluginsNamed("request-termination"));
    }
}
