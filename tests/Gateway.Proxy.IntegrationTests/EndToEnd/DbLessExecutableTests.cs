using System.Net;
using System.Text.Json.Nodes;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.EndToEnd;

/// <summary>The real executable without a database, configured by a declarative file.</summary>
public class DbLessExecutableTests
{
    [Fact]
    public async Task Serves_the_declarative_file_and_refuses_admin_writes()
    {
        await using var upstream = await EchoUpstream.StartAsync("dbless");
        var file = Path.GetTempFileName();
        var cacheDir = Directory.CreateTempSubdirectory("tollgate-e2e-cache-").FullName;
        try
        {
            await File.WriteAllTextAsync(file, $"""
                _format_version: "3.0"
                services:
                - name: foo
                  url: {upstream.Url}
                  routes:
                  - paths: [/foo]
                """);
            var proxy = Loopback.FreeAddress();
            var admin = Loopback.FreeAddress();
            var env = Loopback.ServeEnvironment("off", null, proxy, admin, Loopback.FreeAddress(), cacheDir);
            env["GATEWAY_DECLARATIVE_CONFIG"] = file;
            await using var process = GatewayExecutable.Start(env, "serve");
            using var proxyClient = Loopback.Client(proxy);
            using var adminClient = Loopback.Client(admin);

            await Loopback.WaitForStatusAsync(proxyClient, "/foo", HttpStatusCode.OK, TimeSpan.FromSeconds(20), () => process.Output);
            var echo = JsonNode.Parse(await proxyClient.GetStringAsync("/foo"))!;
            Assert.Equal("dbless", (string?)echo["upstream"]);

            using var missing = await proxyClient.GetAsync("/nope");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            var message = JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["message"];
            Assert.Equal("no Route matched with those values", (string?)message);

            using var write = await adminClient.PostAsync("/services",
                new StringContent("""{"name":"x","url":"http://127.0.0.1:9"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.MethodNotAllowed, write.StatusCode);
        }
        finally
        {
            File.Delete(file);
            Directory.Delete(cacheDir, recursive: true);
        }
    }
}
