using Gateway.Proxy.Routing;

namespace Gateway.Proxy.Tests.Routing;

/// <summary>
/// Kong's complete path-handling table (its router test fixture): service path, route path, strip_path,
/// path_handling and request path, with the path the upstream must receive. "*" stands for both values.
/// </summary>
public class UpstreamPathTests
{
    private static readonly (string Service, string? Route, string Strip, string Handling, string Request, string Expected)[] Rows =
    [
        ("/", "/", "*", "*", "/", "/"),
        ("/", "/", "*", "*", "/route", "/route"),
        ("/", "/", "*", "*", "/route/", "/route/"),
        ("/", "/", "*", "*", "/routereq", "/routereq"),
        ("/", "/", "*", "*", "/route/req", "/route/req"),
        ("/", "/route", "false", "*", "/route", "/route"),
        ("/", "/route", "false", "*", "/route/", "/route/"),
        ("/", "/route", "false", "*", "/routereq", "/routereq"),
        ("/", "/route", "true", "*", "/route", "/"),
        ("/", "/route", "true", "*", "/route/", "/"),
        ("/", "/route", "true", "*", "/routereq", "/req"),
        ("/", "/route/", "false", "*", "/route/", "/route/"),
        ("/", "/route/", "false", "*", "/route/req", "/route/req"),
        ("/", "/route/", "true", "*", "/route/", "/"),
        ("/", "/route/", "true", "*", "/route/req", "/req"),
        ("/srv", "/rou", "false", "v0", "/roureq", "/srv/roureq"),
        ("/srv", "/rou", "false", "v1", "/roureq", "/srvroureq"),
        ("/srv", "/rou", "true", "v0", "/roureq", "/srv/req"),
        ("/srv", "/rou", "true", "v1", "/roureq", "/srvreq"),
        ("/srv/", "/rou", "false", "*", "/rou", "/srv/rou"),
        ("/srv/", "/rou", "true", "v0", "/rou", "/srv"),
        ("/srv/", "/rou", "true", "v1", "/rou", "/srv/"),
        ("/service", "/", "*", "*", "/", "/service"),
        ("/service", "/", "*", "v0", "/route", "/service/route"),
        ("/service", "/", "*", "v1", "/route", "/serviceroute"),
        ("/service", "/", "*", "v0", "/route/", "/service/route/"),
        ("/service", "/", "*", "v1", "/route/", "/serviceroute/"),
        ("/service", "/", "*", "v0", "/routereq", "/service/routereq"),
        ("/service", "/", "*", "v1", "/routereq", "/serviceroutereq"),
        ("/service", "/", "*", "v0", "/route/req", "/service/route/req"),
        ("/service", "/", "*", "v1", "/route/req", "/serviceroute/req"),
        ("/service", "/route", "false", "v0", "/route", "/service/route"),
        ("/service", "/route", "false", "v1", "/route", "/serviceroute"),
        ("/service", "/route", "false", "v0", "/route/", "/service/route/"),
        ("/service", "/route", "false", "v1", "/route/", "/serviceroute/"),
        ("/service", "/route", "false", "v0", "/routereq", "/service/routereq"),
        ("/service", "/route", "false", "v1", "/routereq", "/serviceroutereq"),
        ("/service", "/route", "true", "*", "/route", "/service"),
        ("/service", "/route", "true", "*", "/route/", "/service/"),
        ("/service", "/route", "true", "v0", "/routereq", "/service/req"),
        ("/service", "/route", "true", "v1", "/routereq", "/servicereq"),
        ("/service", "/route/", "false", "v0", "/route/", "/service/route/"),
        ("/service", "/route/", "false", "v1", "/route/", "/serviceroute/"),
        ("/service", "/route/", "false", "v0", "/route/req", "/service/route/req"),
        ("/service", "/route/", "false", "v1", "/route/req", "/serviceroute/req"),
        ("/service", "/route/", "true", "v0", "/route/", "/service/"),
        ("/service", "/route/", "true", "v1", "/route/", "/service"),
        ("/service", "/route/", "true", "v0", "/route/req", "/service/req"),
        ("/service", "/route/", "true", "v1", "/route/req", "/servicereq"),
        ("/service/", "/", "*", "v0", "/route/", "/service/route/"),
        ("/service/", "/", "*", "v1", "/route/", "/service/route/"),
        ("/service/", "/", "*", "*", "/", "/service/"),
        ("/service/", "/", "*", "*", "/route", "/service/route"),
        ("/service/", "/", "*", "*", "/routereq", "/service/routereq"),
        ("/service/", "/", "*", "*", "/route/req", "/service/route/req"),
        ("/service/", "/route", "false", "*", "/route", "/service/route"),
        ("/service/", "/route", "false", "*", "/route/", "/service/route/"),
        ("/service/", "/route", "false", "*", "/routereq", "/service/routereq"),
        ("/service/", "/route", "true", "v0", "/route", "/service"),
        ("/service/", "/route", "true", "v1", "/route", "/service/"),
        ("/service/", "/route", "true", "*", "/route/", "/service/"),
        ("/service/", "/route", "true", "*", "/routereq", "/service/req"),
        ("/service/", "/route/", "false", "*", "/route/", "/service/route/"),
        ("/service/", "/route/", "false", "*", "/route/req", "/service/route/req"),
        ("/service/", "/route/", "true", "*", "/route/", "/service/"),
        ("/service/", "/route/", "true", "*", "/route/req", "/service/req"),
        // Routes matching on something else than paths.
        ("/", null, "*", "*", "/", "/"),
        ("/", null, "*", "*", "/route", "/route"),
        ("/", null, "*", "*", "/route/", "/route/"),
        ("/service", null, "*", "*", "/", "/service"),
        ("/service", null, "*", "v0", "/route", "/service/route"),
        ("/service", null, "*", "v1", "/route", "/serviceroute"),
        ("/service", null, "*", "v0", "/route/", "/service/route/"),
        ("/service", null, "*", "v1", "/route/", "/serviceroute/"),
        ("/service/", null, "*", "*", "/", "/service/"),
        ("/service/", null, "*", "*", "/route", "/service/route"),
        ("/service/", null, "*", "*", "/route/", "/service/route/"),
    ];

    public static TheoryData<string, string?, bool, string, string, string> Cases()
    {
        var data = new TheoryData<string, string?, bool, string, string, string>();
        foreach (var row in Rows)
            foreach (var strip in row.Strip == "*" ? new[] { false, true } : [row.Strip == "true"])
                foreach (var handling in row.Handling == "*" ? new[] { "v0", "v1" } : [row.Handling])
                    data.Add(row.Service, row.Route, strip, handling, row.Request, row.Expected);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Kongs_path_handling_table(string servicePath, string? routePath, bool stripPath, string handling,
        string requestPath, string expected)
    {
        // A prefix route matches its own path; a route without paths matched nothing in the path.
        var path = UpstreamPath.Build(servicePath, requestPath, routePath, stripPath, handling == "v1");

        Assert.Equal(expected, path);
    }

    [Theory]
    [InlineData("/", "/v12/", "/v12/users", "/users")]
    [InlineData("/api", "/v12/", "/v12/users", "/api/users")]
    [InlineData("/", "/users/42", "/users/42", "/")]
    public void Strip_path_removes_the_whole_regex_match(string servicePath, string matched, string requestPath, string expected)
    {
        Assert.Equal(expected, UpstreamPath.Build(servicePath, requestPath, matched, stripPath: true, v1: false));
    }

    [Theory]
    [InlineData("/foo/..", "/foo/", "/svc")]
    [InlineData("/foo/../bar", "/foo/", "/svc/bar")]
    [InlineData("/foo../bar", "/foo", "/svc/bar")]
    [InlineData("/foo..%2Fetc", "/foo", "/svc/etc")]
    [InlineData("/foo.%5Cetc", "/foo", "/svc/etc")]
    public void A_leftover_dot_segment_does_not_climb_above_the_service_path(string requestPath, string prefix, string expected)
    {
        Assert.Equal(expected, UpstreamPath.Build("/svc", requestPath, prefix, stripPath: true, v1: false));
        Assert.DoesNotContain("..", UpstreamPath.Build("/svc/", requestPath, prefix, stripPath: true, v1: true));
    }

    [Fact]
    public void Without_stripping_and_without_a_service_path_the_request_path_is_reused()
    {
        const string request = "/unchanged/path";

        Assert.Same(request, UpstreamPath.Build("/", request, "/unchanged", stripPath: false, v1: false));
    }
}
