using Gateway.Proxy.Declarative;
using Gateway.Proxy.Entities;

namespace Gateway.Proxy.Tests.Declarative;

public class DemoConfigTests
{
    [Fact]
    public void EmbeddedDemoConfigRoutesFooAndBarToTheSampleUpstreams()
    {
        using var stream = typeof(ConfigData).Assembly.GetManifestResourceStream("Gateway.Proxy.Demo.demo.yaml");
        Assert.NotNull(stream);
        var result = DeclarativeParser.Parse(new StreamReader(stream).ReadToEnd());

        Assert.True(result.IsValid, result.Describe());
        var config = result.Config!;
        foreach (var (name, port) in new[] { ("foo", 9001), ("bar", 9002) })
        {
            var service = Assert.Single(config.Services, s => s.Name == name);
            Assert.Equal(("http", "127.0.0.1", port), (service.Protocol, service.Host, service.Port));
            var route = Assert.Single(config.Routes, r => r.Service?.Id == service.Id);
            Assert.Equal(["/" + name], route.Paths!);
            Assert.True(route.StripPath);
        }
        Assert.Empty(Gateway.Proxy.PluginEngine.PluginConfigCheck.CheckAll(config, Gateway.Proxy.PluginEngine.PluginCatalog.Bundled));
        Assert.NotNull(Gateway.Proxy.Consumers.ConsumerDirectory.Build(config).FindKey("demo-key"));
    }
}
