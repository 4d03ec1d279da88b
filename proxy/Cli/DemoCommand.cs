using System.Reflection;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Demo;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Settings;

namespace Gateway.Proxy.Cli;

/// <summary>
/// The local demo: DB-less, the embedded sample configuration, and two sample upstreams on loopback,
/// so that `curl localhost:8000/foo` shows the gateway routing with nothing else installed.
/// </summary>
public static class DemoCommand
{
    public static async Task<int> RunAsync()
    {
        var settings = GatewaySettings.FromEnvironment() with { Database = DatabaseMode.Off, DeclarativeConfig = null };
        settings = settings with
        {
            ProxyListen = settings.ProxyListen ?? ListenAddress.Parse("GATEWAY_PROXY_LISTEN", "127.0.0.1:8000"),
        };
        var result = DeclarativeParser.Parse(ReadEmbeddedConfig());
        if (!result.IsValid) return CommandLine.Fail("the embedded demo configuration is invalid: " + result.Errors[0]);

        await using var upstreams = await SampleUpstreams.StartAsync();
        await using var app = GatewayHost.Build(settings, result.Config!.WithVersion(1));
        await app.StartAsync();
        Console.WriteLine($"""
            tollgate demo is running (DB-less, sample upstreams on 127.0.0.1:9001 and :9002)
              proxy:     http://{settings.ProxyListen}   try: curl -i http://localhost:{settings.ProxyListen!.Port}/foo
              admin API: http://{settings.AdminListen}   try: curl http://localhost:{settings.AdminListen?.Port}/services
            press Ctrl+C to stop
            """);
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static string ReadEmbeddedConfig()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Gateway.Proxy.Demo.demo.yaml")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
