using System.Text.Json.Nodes;
using Gateway.Operator.GatewayApi;
using static Gateway.Operator.Tests.Translation.GatewayApi.GatewayApiObjects;

namespace Gateway.Operator.Tests.Translation.GatewayApi;

/// <summary>RequestMirror filters as the proxy's request-mirror plugin, over the endpoints of the mirror's Service.</summary>
public sealed class MirrorFilterTests
{
    private static HttpRouteFilter Mirror(string service, int? percent = null, MirrorFraction? fraction = null, string? ns = null) => new()
    {
        Type = "RequestMirror",
        RequestMirror = new() { BackendRef = new() { Name = service, Port = 80, Namespace = ns }, Percent = percent, Fraction = fraction },
    };

    private static JsonObject? MirrorConfig(Gateway.Operator.Translation.TranslationOutput output) =>
        FilteredProxy.Document(output).PluginsNamed("request-mirror").SingleOrDefault()?["config"] as JsonObject;

    [Fact]
    public async Task A_mirror_copies_to_the_endpoints_of_its_Service_while_the_rule_forwards_to_its_own()
    {
        var output = FilterObjects.Translate(Route("site", Rule([Match("PathPrefix", "/")], To("web")).WithFilters(Mirror("api"))));

        Assert.Equal("""{"mirrors":[{"targets":["10.0.1.1:9000"],"percent":100}]}""", MirrorConfig(output)!.ToJsonString());
        Assert.True(output.ResultFor("HTTPRoute", "site").Programmed);
        var sent = await FilteredProxy.Snapshot(FilteredProxy.Document(output)).SendAsync("/x");
        Assert.Null(sent!.Exit);
    }

    [Theory]
    [InlineData(25, null, null, 25.0)]
    [InlineData(null, 1, 3, 33.333333)]
    [InlineData(null, 5, null, 5.0)]
    public void A_percent_or_a_fraction_is_the_share_copied(int? percent, int? numerator, int? denominator, double expected)
    {
        var fraction = numerator is { } n ? new MirrorFraction { Numerator = n, Denominator = denominator } : null;
        var output = FilterObjects.Translate(Route("site", Rule([Match("PathPrefix", "/")], To("web")).WithFilters(Mirror("api", percent, fraction))));

        Assert.Equal(expected, (double)MirrorConfig(output)!["mirrors"]![0]!["percent"]!);
    }

    [Theory]
    [InlineData("missing", null, "BackendNotFound")]
    [InlineData("api", "elsewhere", "RefNotPermitted")]
    public async Task A_mirror_that_cannot_be_used_says_why_and_the_rule_is_served_without_copies(string service, string? ns, string reason)
    {
        var output = FilterObjects.Translate(Route("site", Rule([Match("PathPrefix", "/")], To("web")).WithFilters(Mirror(service, ns: ns))));

        var problem = Assert.Single(output.ResultFor("HTTPRoute", "site").Problems);
        Assert.Equal(reason, problem.Reason);
        Assert.StartsWith("spec.rules[0].filters[0].requestMirror.backendRef", problem.Field);
        Assert.Null(MirrorConfig(output));
        Assert.NotNull(await FilteredProxy.Snapshot(FilteredProxy.Document(output)).SendAsync("/x"));
    }

    [Fact]
    public void Several_mirrors_each_get_their_copies_and_an_unusable_one_is_left_out()
    {
        var output = FilterObjects.Translate(Route("site", Rule([Match("PathPrefix", "/")], To("web"))
            .WithFilters(Mirror("api", percent: 50), Mirror("missing"), Mirror("web"))));

        Assert.Equal("""{"mirrors":[{"targets":["10.0.1.1:9000"],"percent":50},{"targets":["10.0.0.1:8080"],"percent":100}]}""",
            MirrorConfig(output)!.ToJsonString());
        var problem = Assert.Single(output.ResultFor("HTTPRoute", "site").Problems);
        Assert.Equal(("spec.rules[0].filters[1].requestMirror.backendRef", "BackendNotFound"), (problem.Field, problem.Reason));
    }
}
