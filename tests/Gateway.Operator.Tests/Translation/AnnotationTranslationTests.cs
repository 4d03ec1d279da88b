using Gateway.Operator.Translation;
using static Gateway.Operator.Tests.Translation.Cluster;

namespace Gateway.Operator.Tests.Translation;

public sealed class AnnotationTranslationTests
{
    private static KongRoute RouteWith(string key, string value) =>
        Translate(Input([Ingress("api", Path("/", "api")).Annotated(key, value)], [Service("api")])).Route("default.api._");

    private static KongService ServiceWith(string key, string value)
    {
        var output = Translate(Input([Ingress("api", Path("/", "api"))], [Service("api").Annotated(key, value)]));
        return output.ServiceOf(output.Route("default.api._"));
    }

    [Theory]
    [InlineData("tollgate.dev")]
    [InlineData("konghq.com")]
    public void Route_annotations_set_the_route(string prefix)
    {
        Assert.True(RouteWith(prefix + "/strip-path", "true").StripPath);
        Assert.False(RouteWith(prefix + "/preserve-host", "false").PreserveHost);
        Assert.Equal(["GET", "POST"], RouteWith(prefix + "/methods", "get, POST").Methods!);
        Assert.Equal(["https"], RouteWith(prefix + "/protocols", "https").Protocols);
        Assert.Equal(308, RouteWith(prefix + "/https-redirect-status-code", "308").HttpsRedirectStatusCode);
        Assert.Equal(-7, RouteWith(prefix + "/regex-priority", "-7").RegexPriority);
    }

    [Fact]
    public void Without_annotations_routes_have_kong_ingress_controller_defaults()
    {
        var route = Translate(Input([Ingress("api", Path("/", "api"))], [Service("api")])).Route("default.api._");

        Assert.False(route.StripPath);
        Assert.True(route.PreserveHost);
        Assert.Null(route.Methods);
        Assert.Equal(["http", "https"], route.Protocols);
        Assert.Equal(426, route.HttpsRedirectStatusCode);
        Assert.Equal(0, route.RegexPriority);
    }

    [Fact]
    public void Our_spelling_wins_over_kongs()
    {
        var ingress = Ingress("api", Path("/", "api")).Annotated("konghq.com/strip-path", "false").Annotated("tollgate.dev/strip-path", "true");

        Assert.True(Translate(Input([ingress], [Service("api")])).Route("default.api._").StripPath);
    }

    [Theory]
    [InlineData("tollgate.dev")]
    [InlineData("konghq.com")]
    public void Service_annotations_set_the_service_and_upstream(string prefix)
    {
        Assert.Equal("/v2", ServiceWith(prefix + "/path", "/v2").Path);
        Assert.Equal(1500, ServiceWith(prefix + "/read-timeout", "1500").ReadTimeout);
        Assert.Equal(2500, ServiceWith(prefix + "/write-timeout", "2500").WriteTimeout);
        Assert.Equal(3500, ServiceWith(prefix + "/connect-timeout", "3500").ConnectTimeout);
        Assert.Equal(0, ServiceWith(prefix + "/retries", "0").Retries);
        Assert.Equal("https", ServiceWith(prefix + "/protocol", "https").Protocol);
        Assert.Equal("grpcs", ServiceWith(prefix + "/protocol", " GRPCS ").Protocol);
        Assert.Equal("grpc", ServiceWith(prefix + "/protocol", "grpc").Protocol);
        Assert.Equal("http", ServiceWith(prefix + "/retries", "0").Protocol);

        var output = Translate(Input([Ingress("api", Path("/", "api"))], [Service("api").Annotated(prefix + "/host-header", "internal.example.com")]));
        Assert.Equal("internal.example.com", Assert.Single(output.Configuration.Upstreams).HostHeader);
    }

    [Theory]
    [InlineData("tollgate.dev/strip-path", "yes")]
    [InlineData("konghq.com/preserve-host", "1")]
    [InlineData("tollgate.dev/methods", "GET,PO ST")]
    [InlineData("konghq.com/protocols", "http,tcp")]
    [InlineData("tollgate.dev/https-redirect-status-code", "303")]
    [InlineData("konghq.com/regex-priority", "high")]
    public void A_bad_route_annotation_fails_that_ingress_only(string key, string value)
    {
        var bad = Ingress("bad", Path("/bad", "api")).Annotated(key, value);
        var output = Translate(Input([bad, Ingress("good", Path("/good", "api"))], [Service("api")]));

        var result = output.ResultFor("Ingress", "bad");
        Assert.Equal(ProblemReasons.InvalidAnnotation, result.Reason);
        Assert.StartsWith($"metadata.annotations[{key}]: invalid value \"{value}\": expected ", result.Message);
        Assert.Equal(["default.good._good"], output.Configuration.Routes.Select(r => r.Name));
        Assert.True(output.ResultFor("Ingress", "good").Programmed);
    }

    [Theory]
    [InlineData("tollgate.dev/path", "v2")]
    [InlineData("konghq.com/host-header", "not a host")]
    [InlineData("tollgate.dev/read-timeout", "0")]
    [InlineData("konghq.com/write-timeout", "soon")]
    [InlineData("tollgate.dev/connect-timeout", "-1")]
    [InlineData("konghq.com/retries", "40000")]
    [InlineData("tollgate.dev/service-upstream", "maybe")]
    [InlineData("konghq.com/protocol", "tcp")]
    [InlineData("tollgate.dev/protocol", "https,grpc")]
    public void A_bad_service_annotation_fails_that_service_and_the_paths_routed_to_it(string key, string value)
    {
        var ingress = Ingress("api", Path("/bad", "bad"), Path("/good", "good"));
        var output = Translate(Input([ingress], [Service("bad").Annotated(key, value), Service("good")]));

        var service = output.ResultFor("Service", "bad");
        Assert.Equal(ProblemReasons.InvalidAnnotation, service.Reason);
        Assert.StartsWith($"metadata.annotations[{key}]: invalid value \"{value}\"", service.Message);
        var path = Assert.Single(output.ResultFor("Ingress", "api").Problems);
        Assert.Equal("spec.rules[0].http.paths[0].backend.service.name", path.Field);
        Assert.Contains(key, path.Message);
        Assert.Equal(["default.api._good"], output.Configuration.Routes.Select(r => r.Name));
        Assert.Equal(["default.good.80"], output.Configuration.Services.Select(s => s.Name));
        Assert.True(output.ResultFor("Service", "good").Programmed);
    }
}
