using System.Text.Json.Nodes;

namespace Gateway.Operator.Tests.Kubectl;

/// <summary>kubectl get prints Ingresses, IngressClasses and EndpointSlices with the columns a real server gives them.</summary>
public sealed class KubectlKindsTests
{
    static string[] Lines(string table) => table.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    static string[] Header(string table) => Lines(table)[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Ingresses_show_class_hosts_address_and_ports()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync();
        using var kubectl = new KubectlRunner(server);
        JsonObject Rule(string host) => new() { ["host"] = host };
        server.Create("networking.k8s.io/v1", "Ingress", "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject
            {
                ["ingressClassName"] = "tollgate",
                ["rules"] = new JsonArray(Rule("a.example"), Rule("b.example"), Rule("c.example"), Rule("d.example")),
                ["tls"] = new JsonArray(new JsonObject { ["hosts"] = new JsonArray("a.example") }),
            },
        });
        server.Patch("networking.k8s.io/v1", "Ingress", "default", "web", new JsonObject
        {
            ["status"] = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = "203.0.113.7" }) } },
        }, status: true);
        server.Create("networking.k8s.io/v1", "Ingress", "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "bare" }, ["spec"] = new JsonObject() });

        var table = await kubectl.SucceedAsync("get", "ingresses");

        Assert.Equal(["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"], Header(table));
        Assert.Matches(@"^bare\s+<none>\s+\*\s+80\s+\d+s$", Lines(table)[1]);
        Assert.Matches(@"^web\s+tollgate\s+a\.example,b\.example,c\.example \+ 1 more\.\.\.\s+203\.0\.113\.7\s+80, 443\s+\d+s$", Lines(table)[2]);
    }

    [Fact]
    public async Task Ingress_classes_show_their_controller_and_parameters()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync();
        using var kubectl = new KubectlRunner(server);
        server.Create("networking.k8s.io/v1", "IngressClass", null, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "tollgate" },
            ["spec"] = new JsonObject
            {
                ["controller"] = "tollgate.dev/ingress-controller",
                ["parameters"] = new JsonObject { ["apiGroup"] = "tollgate.dev", ["kind"] = "ApiGateway", ["name"] = "edge", ["scope"] = "Namespace", ["namespace"] = "default" },
            },
        });
        server.Create("networking.k8s.io/v1", "IngressClass", null, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "other" },
            ["spec"] = new JsonObject { ["controller"] = "example.com/other" },
        });

        var table = await kubectl.SucceedAsync("get", "ingressclasses");

        Assert.Equal(["NAME", "CONTROLLER", "PARAMETERS", "AGE"], Header(table));
        Assert.Matches(@"^other\s+example\.com/other\s+<none>\s+\d+s$", Lines(table)[1]);
        Assert.Matches(@"^tollgate\s+tollgate\.dev/ingress-controller\s+ApiGateway\.tollgate\.dev/edge\s+\d+s$", Lines(table)[2]);
    }

    [Fact]
    public async Task Endpoint_slices_show_their_ports_and_endpoints_and_select_by_service()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync();
        using var kubectl = new KubectlRunner(server);
        JsonObject Endpoint(string address) => new() { ["addresses"] = new JsonArray(address), ["conditions"] = new JsonObject { ["ready"] = true } };
        server.Create("discovery.k8s.io/v1", "EndpointSlice", "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web-abc", ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = "web" } },
            ["addressType"] = "IPv4",
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 8080 }, new JsonObject { ["name"] = "admin", ["port"] = 8001 }),
            ["endpoints"] = new JsonArray(Endpoint("127.0.0.2"), Endpoint("127.0.0.3"), Endpoint("127.0.0.4"), Endpoint("127.0.0.5")),
        });
        server.Create("discovery.k8s.io/v1", "EndpointSlice", "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "api-xyz", ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = "api" } },
            ["addressType"] = "IPv4",
            ["ports"] = new JsonArray(),
            ["endpoints"] = new JsonArray(),
        });

        var all = await kubectl.SucceedAsync("get", "endpointslices");
        var web = await kubectl.SucceedAsync("get", "endpointslices", "-l", "kubernetes.io/service-name=web");

        Assert.Equal(["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], Header(all));
        Assert.Matches(@"^api-xyz\s+IPv4\s+<unset>\s+<unset>\s+\d+s$", Lines(all)[1]);
        Assert.Equal(2, Lines(web).Length);
        Assert.Matches(@"^web-abc\s+IPv4\s+8080,8001\s+127\.0\.0\.2,127\.0\.0\.3,127\.0\.0\.4 \+ 1 more\.\.\.\s+\d+s$", Lines(web)[1]);
    }
}
