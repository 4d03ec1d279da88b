using Gateway.Proxy.Admin.Browsers;

namespace Gateway.Proxy.Tests.Admin;

public class CrossSiteWriteRuleTests
{
    private const string Own = "http://127.0.0.1:8001";
    private const string OwnHost = "127.0.0.1:8001";
    private static readonly IReadOnlySet<string> Gui = new HashSet<string> { "https://admin.example.com" };

    [Theory]
    // method, Origin, Sec-Fetch-Site, Content-Type → refused?
    [InlineData("POST", null, null, "application/x-www-form-urlencoded", false)]
    [InlineData("POST", null, null, "multipart/form-data; boundary=x", false)]
    [InlineData("POST", null, null, "application/json", false)]
    [InlineData("POST", null, null, null, false)]
    [InlineData("POST", null, "none", "application/x-www-form-urlencoded", false)]
    [InlineData("POST", Own, "same-origin", "application/x-www-form-urlencoded", false)]
    [InlineData("POST", "HTTP://127.0.0.1:8001", null, "application/json", false)]
    [InlineData("POST", "https://admin.example.com", "cross-site", "application/json", false)]
    [InlineData("GET", "https://evil.example", "cross-site", null, false)]
    [InlineData("HEAD", "https://evil.example", "cross-site", null, false)]
    [InlineData("OPTIONS", "https://evil.example", "cross-site", null, false)]
    [InlineData("POST", "https://evil.example", null, "application/json", true)]
    [InlineData("PUT", "https://evil.example", null, "application/json", true)]
    [InlineData("PATCH", "https://evil.example", null, "application/json", true)]
    [InlineData("DELETE", "https://evil.example", null, null, true)]
    [InlineData("PURGE", "https://evil.example", null, null, true)]
    [InlineData("POST", "null", null, "application/x-www-form-urlencoded", true)]
    [InlineData("POST", "http://127.0.0.1:8002", null, "application/x-www-form-urlencoded", true)]
    [InlineData("POST", "https://127.0.0.1:8001", null, "application/x-www-form-urlencoded", true)]
    [InlineData("POST", null, "cross-site", "application/x-www-form-urlencoded", true)]
    [InlineData("POST", null, "Same-Site", "application/x-www-form-urlencoded", true)]
    [InlineData("POST", null, null, "text/plain", true)]
    [InlineData("POST", null, null, "Text/Plain; charset=UTF-8", true)]
    [InlineData("POST", "https://admin.example.com", "cross-site", "text/plain", true)]
    public void Writes_a_browser_could_send_cross_site_are_refused(string method, string? origin, string? fetchSite, string? contentType, bool refused)
    {
        var reason = CrossSiteWrite.Refusal(method, "http", OwnHost, origin, fetchSite, contentType, Gui);
        Assert.True(refused == (reason is not null), reason ?? "accepted");
    }

    [Theory]
    [InlineData("http", "127.0.0.1:8001", "http://127.0.0.1:8001")]
    [InlineData("http", "LocalHost:80", "http://localhost")]
    [InlineData("https", "localhost:443", "https://localhost")]
    [InlineData("https", "[::1]:8444", "https://[::1]:8444")]
    [InlineData("http", "localhost", "http://localhost")]
    public void The_own_origin_is_written_as_a_browser_writes_it(string scheme, string host, string origin)
    {
        Assert.Equal(origin, CrossSiteWrite.OwnOrigin(scheme, host));
    }
}
