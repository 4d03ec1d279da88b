using System.Text.Json.Nodes;
using Gateway.Operator.GatewayApi;
using Gateway.Operator.Translation;
using static Gateway.Operator.Tests.Translation.Cluster;
using static Gateway.Operator.Tests.Translation.GatewayApi.FilterObjects;
using static Gateway.Operator.Tests.Translation.GatewayApi.GatewayApiObjects;

namespace Gateway.Operator.Tests.Translation.GatewayApi;

/// <summary>
/// RequestRedirect filters as the proxy's redirect plugin, and rules that cannot forward answered 500 by its
/// request-termination plugin. The proxy does not have these two plugins yet: the document's shape is checked here.
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

    [Theory]
    [InlineData(null, "ReplacePrefixMatch", "spec.rules[0].filters[0].requestRedirect.path")]
    [InlineData("x.example", "ReplacePrefixMatch", "spec.rules[0].filters[0].requestRedirect.path")]
    public void A_prefix_replacement_in_a_redirect_is_unsupported_and_leaves_the_rule_out(string? hostname, string? pathType, string field)
    {
        var path = pathType is null ? null : new HttpPathModifier { Type = pathType, ReplacePrefixMatch = "/new" };
        var output = FilterObjects.Translate(Route("move", Rule((HttpRouteMatch[]?)null).WithFilters(Redirect(hostname: hostname ?? (pathType is null ? null : "x.example"), path: path))));

        var problem = Assert.Single(output.ResultFor("HTTPRoute", "move").Problems);
        Assert.Equal((field, "UnsupportedValue"), (problem.Field, problem.Reason));
        Assert.Empty(output.Configuration.Routes);
    }

    [Fact]
    public void A_rule_whose_backends_are_all_invalid_or_absent_answers_500()
    {
        var output = FilterObjects.Translate(
            Route("broken", Rule(null, To("missing"))),
            Route("empty", Rule([Match("PathPrefix", "/empty")])),
            Route("fine", Rule([Match("PathPrefix", "/fine")], To("web"), To("missing"))));

        var terminations = FilteredProxy.Document(output).PluginsNamed("request-termination");
        Assert.Equal(
            [output.Route("default.broken.0.0.0").Id.ToString(), output.Route("default.empty.0.0.0").Id.ToString()],
            terminations.Select(p => (string)p["route"]!["id"]!).Order());
        Assert.All(terminations, p => Assert.Equal(500, (int)p["config"]!["status_code"]!));
        Assert.Equal("BackendNotFound", output.ResultFor("HTTPRoute", "broken").Reason);
    }

    [Fact]
    public void A_service_without_ready_endpoints_is_left_to_the_proxys_503()
    {
        var output = Cluster.Translate(Input([GatewayWith("gw", Http())], [Route("idle", Rule(null, To("web")))], [Service("web")], []));

        Assert.Empty(FilteredProxy.Document(output).PluginsNamed("request-termination"));
    }
}
