using System.Text.Json.Nodes;
using Gateway.Operator.Entities;
using Gateway.Operator.GatewayApi;
using static Gateway.Operator.Tests.Translation.Cluster;
using static Gateway.Operator.Tests.Translation.GatewayApi.FilterObjects;
using static Gateway.Operator.Tests.Translation.GatewayApi.GatewayApiObjects;

namespace Gateway.Operator.Tests.Translation.GatewayApi;

/// <summary>ExtensionRef filters naming TollgatePlugins, and the filters the proxy cannot apply.</summary>
public sealed class ExtensionFilterTests
{
    private static HttpRouteFilter Extension(string name, string group = "tollgate.dev", string kind = "TollgatePlugin") =>
        new() { Type = "ExtensionRef", ExtensionRef = new() { Group = group, Kind = kind, Name = name } };

    private static TollgatePlugin Plugin(string name, string plugin, JsonObject? config = null) => new()
    {
        Metadata = new() { Name = name, NamespaceProperty = "default", Uid = "uid-" + name },
        Plugin = plugin,
        Config = config,
    };

    [Fact]
    public async Task A_named_tollgate_plugin_guards_the_rules_routes_only()
    {
        var output = FilterObjects.Translate(Route("site",
            Rule([Match("PathPrefix", "/private")], To("web")).WithFilters(Extension("auth")),
            Rule([Match("PathPrefix", "/public")], To("web"))));

        var snapshot = FilteredProxy.Snapshot(FilteredProxy.Document(output, Plugin("auth", "key-auth")));

        Assert.Equal(401, (await snapshot.SendAsync("/private"))!.Exit);
        Assert.Null((await snapshot.SendAsync("/public"))!.Exit);
        Assert.True(output.ResultFor("HTTPRoute", "site").Programmed);
    }

    [Fact]
    public async Task A_plugin_that_does_not_exist_withholds_the_rules_routes_and_names_the_filter()
    {
        var output = FilterObjects.Translate(Route("site",
            Rule([Match("PathPrefix", "/private")], To("web")).WithFilters(RequestHeaders(Headers(set: [("X-A", "1")])), Extension("auth")),
            Rule([Match("PathPrefix", "/public")], To("web"))));

        var plugins = FilteredProxy.Plugins(output);
        var snapshot = FilteredProxy.Snapshot(FilteredProxy.Document(output));

        Assert.Null(await snapshot.SendAsync("/private"));
        Assert.NotNull(await snapshot.SendAsync("/public"));
        var problem = Assert.Single(plugins.Results.Single(r => r.Source.Kind == "HTTPRoute").Problems);
        Assert.Equal(("spec.rules[0].filters[1].extensionRef", "PluginNotReady"), (problem.Field, problem.Reason));
    }

    [Fact]
    public void A_plugin_of_the_same_name_as_one_the_filters_configure_is_incompatible()
    {
        var output = FilterObjects.Translate(Route("site",
            Rule(null, To("web")).WithFilters(RequestHeaders(Headers(set: [("X-A", "1")])), Extension("transform"))));

        var plugins = FilteredProxy.Plugins(output, Plugin("transform", "request-transformer", new JsonObject { ["add"] = new JsonObject { ["headers"] = new JsonArray("x-b:2") } }));

        var problem = Assert.Single(plugins.Results.Single(r => r.Source.Kind == "HTTPRoute").Problems);
        Assert.Equal(("spec.rules[0].filters[1].extensionRef", "IncompatibleFilters"), (problem.Field, problem.Reason));
        Assert.Empty(FilteredProxy.Document(output).PluginsNamed("request-transformer"));
    }

    [Fact]
    public void An_extension_of_an_unknown_kind_is_an_invalid_reference_and_its_requests_get_500()
    {
        var output = FilterObjects.Translate(Route("site", Rule(null, To("web")).WithFilters(Extension("thing", "example.com", "Widget"))));

        var problem = Assert.Single(output.ResultFor("HTTPRoute", "site").Problems);
        Assert.Equal(("spec.rules[0].filters[0].extensionRef", "InvalidKind"), (problem.Field, problem.Reason));
        var termination = Assert.Single(FilteredProxy.Document(output).PluginsNamed("request-termination"));
        Assert.Equal(500, (int)termination["config"]!["status_code"]!);
    }

    [Theory]
    [InlineData("CORS")]
    [InlineData("SomethingNew")]
    public async Task A_filter_the_proxy_cannot_apply_is_unsupported_and_leaves_its_rule_out(string type)
    {
        var filter = new HttpRouteFilter { Type = type };
        var output = FilterObjects.Translate(Route("site",
            Rule([Match("PathPrefix", "/mirrored")], To("web")).WithFilters(filter),
            Rule([Match("PathPrefix", "/plain")], To("web"))));

        var problem = Assert.Single(output.ResultFor("HTTPRoute", "site").Problems);
        Assert.Equal(("spec.rules[0].filters[0].type", "UnsupportedValue"), (problem.Field, problem.Reason));
        var snapshot = FilteredProxy.Snapshot(FilteredProxy.Document(output));
        Assert.Null(await snapshot.SendAsync("/mirrored"));
        Assert.NotNull(await snapshot.SendAsync("/plain"));
    }
}
