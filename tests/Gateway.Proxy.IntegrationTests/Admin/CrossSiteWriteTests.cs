using System.Net.Http.Headers;
using System.Text;
using Gateway.Proxy.Admin;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>
/// An Admin API without a token, on loopback, as a developer runs it: writes a web page could make a browser send
/// are refused (and change nothing), while curl's forms and JSON, and the listed GUI origin, keep working.
/// </summary>
public class CrossSiteWriteTests(AdminPostgres postgres) : AdminTestBase(postgres)
{
    private const string Gui = "https://admin.example.com";
    private const string Evil = "https://evil.example";

    /// <summary>Stands for the request's own origin, http://127.0.0.1:&lt;port&gt;, which only the running host knows.</summary>
    private const string Own = "own";

    private const string WipingConfig = "_format_version: \"3.0\"\n";

    protected override AdminApiOptions Options => base.Options with { GuiOrigins = [Gui] };

    [Theory]
    // A page on another site, with any body type a browser can send.
    [InlineData("POST", "/consumers", "form", Evil, null)]
    [InlineData("POST", "/consumers", "multipart", Evil, null)]
    [InlineData("POST", "/consumers", "json", Evil, null)]
    [InlineData("DELETE", "/consumers/alice", null, Evil, null)]
    [InlineData("PATCH", "/consumers/alice", "json", Evil, null)]
    [InlineData("PUT", "/consumers/mallory", "json", Evil, null)]
    // Opaque origins (sandboxed frames, data: pages), other local ports, look-alikes of the listed origin.
    [InlineData("POST", "/consumers", "form", "null", null)]
    [InlineData("POST", "/consumers", "form", "http://localhost:3000", null)]
    [InlineData("POST", "/consumers", "form", "https://admin.example.com.evil.net", null)]
    // Fetch metadata alone says cross-site or same-site (another port of localhost is same-site).
    [InlineData("POST", "/consumers", "form", null, "cross-site")]
    [InlineData("POST", "/consumers", "form", null, "same-site")]
    [InlineData("POST", "/config", "form", Evil, "cross-site")]
    // text/plain needs the token even without browser headers, even from the listed GUI.
    [InlineData("POST", "/config", "text", null, null)]
    [InlineData("POST", "/config", "text", Gui, "cross-site")]
    public async Task Writes_a_browser_could_send_cross_site_are_refused_and_change_nothing(
        string method, string path, string? body, string? origin, string? fetchSite)
    {
        await SeedAsync();
        var reply = await RefusedAsync(403, () => SendAsync(method, path, body, origin, fetchSite));
        Assert.StartsWith(body == "text" ? "Writes with Content-Type text/plain" : "Cross-site write refused", reply.String("message"));
    }

    [Theory]
    // curl -d, curl -F, curl --json: no Origin, no Sec-Fetch-*.
    [InlineData("POST", "/consumers", "form", null, null, 201)]
    [InlineData("POST", "/consumers", "multipart", null, null, 201)]
    [InlineData("POST", "/consumers", "json", null, null, 201)]
    [InlineData("DELETE", "/consumers/alice", null, null, null, 204)]
    [InlineData("POST", "/config", "multipart", null, null, 201)]
    [InlineData("POST", "/config", "yaml", null, null, 201)]
    // The listed GUI, a page of the Admin API's own origin, and a request the user started (Sec-Fetch-Site: none).
    [InlineData("POST", "/consumers", "json", Gui, "cross-site", 201)]
    [InlineData("PATCH", "/consumers/alice", "json", Gui, "cross-site", 200)]
    [InlineData("POST", "/consumers", "form", Own, "same-origin", 201)]
    [InlineData("POST", "/consumers", "form", null, "none", 201)]
    // Reads change nothing; without CORS headers the page cannot read the answer anyway.
    [InlineData("GET", "/consumers", null, Evil, "cross-site", 200)]
    public async Task Command_line_clients_the_listed_gui_and_reads_keep_working(
        string method, string path, string? body, string? origin, string? fetchSite, int status)
    {
        await SeedAsync();
        var before = await AdminPostgres.StateAsync(Store);
        (await SendAsync(method, path, body, origin, fetchSite)).Expect(status);
        if (method != "GET") Assert.NotEqual(before, await AdminPostgres.StateAsync(Store));
    }

    [Fact]
    public async Task A_cross_origin_text_plain_post_to_config_cannot_replace_the_configuration()
    {
        await SeedAsync();
        // What a page on any site can send with fetch(url, {method: "POST", mode: "no-cors", body: yaml}).
        var reply = await RefusedAsync(403, () => Client.SendAsync(HttpMethod.Post, "/config",
            new StringContent(WipingConfig, Encoding.UTF8, "text/plain"), h =>
            {
                h.Add("Origin", Evil);
                h.Add("Sec-Fetch-Site", "cross-site");
                h.Add("Sec-Fetch-Mode", "no-cors");
            }));
        Assert.Contains(Evil, reply.String("message"));
        (await Client.GetAsync("/consumers/alice")).Expect(200);
    }

    [Fact]
    public async Task With_a_token_a_cross_site_write_carrying_it_is_served_and_one_without_it_is_401()
    {
        await using var host = await AdminApiHost.StartAsync(Store, Options with { Token = "t0ken" });
        var before = await AdminPostgres.StateAsync(Store);
        (await host.Client.SendAsync(HttpMethod.Post, "/consumers", Form("eve"), h => h.Add("Origin", Evil))).Expect(401);
        Assert.Equal(before, await AdminPostgres.StateAsync(Store));
        (await host.Client.SendAsync(HttpMethod.Post, "/consumers", Form("eve"), h =>
        {
            h.Add("Origin", Evil);
            h.Add("Sec-Fetch-Site", "cross-site");
            h.Add("Kong-Admin-Token", "t0ken");
        })).Expect(201);
    }

    private Task SeedAsync() => CreateAsync("/consumers", """{"username":"alice"}""");

    private Task<AdminReply> SendAsync(string method, string path, string? body, string? origin, string? fetchSite) =>
        Client.SendAsync(new HttpMethod(method), path, Content(path, body), h =>
        {
            if (origin is not null) h.Add("Origin", origin == Own ? Host.Address.GetLeftPart(UriPartial.Authority) : origin);
            if (fetchSite is not null) h.Add("Sec-Fetch-Site", fetchSite);
        });

    /// <summary>A body of the given kind: a consumer for entity paths, a whole configuration for /config.</summary>
    private static HttpContent? Content(string path, string? kind)
    {
        var config = path == "/config";
        var (field, value) = config ? ("config", WipingConfig) : ("username", "mallory");
        return kind switch
        {
            null => null,
            "form" => new FormUrlEncodedContent([new(field, value)]),
            "multipart" => new MultipartFormDataContent { { new StringContent(value), field } },
            "json" => new StringContent($$"""{"{{field}}":"{{value.Replace("\n", "\\n").Replace("\"", "\\\"")}}"}""",
                Encoding.UTF8, "application/json"),
            "yaml" => new StringContent(value, Encoding.UTF8, "application/yaml"),
            "text" => new StringContent(config ? value : "username=mallory", Encoding.UTF8, "text/plain"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    private static FormUrlEncodedContent Form(string username) => new([new("username", username)]);
}
