using Gateway.Operator.GatewayApi;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Tests.Kubectl;

namespace Gateway.Operator.Tests.GatewayApi;

/// <summary>
/// Gateway API manifests as the upstream guides write them, applied with the real kubectl to the in-memory API
/// server, then read back into the operator's models with every field the translation uses intact.
/// </summary>
public class KubectlGatewayApiTests
{
    const string Manifests = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: canary
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata:
          name: tollgate
        spec:
          controllerName: tollgate.dev/gateway-controller
          parametersRef:
            group: tollgate.dev
            kind: ApiGateway
            name: edge
            namespace: infra
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: shop
        spec:
          gatewayClassName: tollgate
          listeners:
          - name: http
            protocol: HTTP
            port: 80
            hostname: "*.shop.example"
            allowedRoutes:
              namespaces:
                from: Selector
                selector:
                  matchLabels:
                    shared-gateway-access: "true"
          - name: https
            protocol: HTTPS
            port: 443
            tls:
              mode: Terminate
              certificateRefs:
              - kind: Secret
                name: shop-cert
                namespace: certs
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: store
        spec:
          parentRefs:
          - name: shop
            sectionName: http
            port: 80
          hostnames: ["www.shop.example"]
          rules:
          - matches:
            - path:
                type: PathPrefix
                value: /cart
              headers:
              - name: x-tier
                value: gold
              queryParams:
              - type: RegularExpression
                name: page
                value: "^[0-9]+$"
              method: GET
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set:
                - name: x-route
                  value: store
                remove: ["x-debug"]
            - type: URLRewrite
              urlRewrite:
                path:
                  type: ReplacePrefixMatch
                  replacePrefixMatch: /basket
            backendRefs:
            - name: cart-v1
              port: 8080
              weight: 90
            - name: cart-v2
              namespace: canary
              port: 8080
              weight: 10
            timeouts:
              request: 10s
              backendRequest: 2s
          - filters:
            - type: RequestRedirect
              requestRedirect:
                scheme: https
                statusCode: 301
        ---
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata:
          name: from-default
          namespace: canary
        spec:
          from:
          - group: gateway.networking.k8s.io
            kind: HTTPRoute
            namespace: default
          to:
          - group: ""
            kind: Service
        """;

    [Fact]
    public async Task Upstream_style_manifests_apply_and_read_back_into_the_models()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync();
        using var kubectl = new KubectlRunner(server);

        var applied = await ApplyAsync(server, kubectl);

        Assert.Contains("gatewayclass.gateway.networking.k8s.io/tollgate created", applied);
        Assert.Contains("gateway.gateway.networking.k8s.io/shop created", applied);
        Assert.Contains("httproute.gateway.networking.k8s.io/store created", applied);
        Assert.Contains("referencegrant.gateway.networking.k8s.io/from-default created", applied);
        Assert.Equal("cart-v2", await kubectl.SucceedAsync("get", "httproute", "store", "-o", "jsonpath={.spec.rules[0].backendRefs[1].name}"));

        var gateway = Read<KubernetesGateway>(server, "v1", "Gateway", "default", "shop");
        Assert.Equal("tollgate", gateway.Spec.GatewayClassName);
        Assert.Equal("*.shop.example", gateway.Spec.Listeners[0].Hostname);
        Assert.Equal("Selector", gateway.Spec.Listeners[0].AllowedRoutes!.Namespaces!.From);
        Assert.Equal("true", gateway.Spec.Listeners[0].AllowedRoutes!.Namespaces!.Selector!.MatchLabels!["shared-gateway-access"]);
        Assert.Equal("certs", gateway.Spec.Listeners[1].Tls!.CertificateRefs![0].Namespace);

        var route = Read<HttpRoute>(server, "v1", "HTTPRoute", "default", "store");
        Assert.Equal(("shop", "http", 80), (route.Spec.ParentRefs![0].Name, route.Spec.ParentRefs[0].SectionName, route.Spec.ParentRefs[0].Port));
        var rule = route.Spec.Rules![0];
        var match = rule.Matches![0];
        Assert.Equal(("PathPrefix", "/cart", "GET"), (match.Path!.Type, match.Path.Value, match.Method));
        Assert.Equal(("x-tier", "gold"), (match.Headers![0].Name, match.Headers[0].Value));
        Assert.Equal(("RegularExpression", "page"), (match.QueryParams![0].Type, match.QueryParams[0].Name));
        Assert.Equal("store", rule.Filters![0].RequestHeaderModifier!.Set![0].Value);
        Assert.Equal("/basket", rule.Filters[1].UrlRewrite!.Path!.ReplacePrefixMatch);
        Assert.Equal([90, 10], rule.BackendRefs!.Select(b => b.Weight ?? 1));
        Assert.Equal(("10s", "2s"), (rule.Timeouts!.Request, rule.Timeouts.BackendRequest));
        Assert.Equal(301, route.Spec.Rules[1].Filters![0].RequestRedirect!.StatusCode);

        var grant = Read<ReferenceGrant>(server, "v1beta1", "ReferenceGrant", "canary", "from-default");
        Assert.Equal("HTTPRoute", grant.Spec.From[0].Kind);
        var gatewayClass = Read<GatewayClass>(server, "v1", "GatewayClass", null, "tollgate");
        Assert.Equal("ApiGateway", gatewayClass.Spec.ParametersRef!.Kind);
    }

    [Fact]
    public async Task Route_status_written_through_the_status_subresource_reads_back_per_parent()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync();
        using var kubectl = new KubectlRunner(server);
        await ApplyAsync(server, kubectl);
        var status = new RouteStatus
        {
            Parents =
            [
                new()
                {
                    ParentRef = new() { Name = "shop", SectionName = "http" },
                    ControllerName = "tollgate.dev/gateway-controller",
                    Conditions = [new() { Type = "Accepted", Status = "True", Reason = "Accepted", ObservedGeneration = 1, LastTransitionTime = DateTimeOffset.UnixEpoch }],
                },
            ],
        };

        server.Patch(GatewayApiBundle.Group + "/v1", "HTTPRoute", "default", "store",
            new System.Text.Json.Nodes.JsonObject { ["status"] = ObjectJson.ToNode(status) }, status: true);

        Assert.Equal("tollgate.dev/gateway-controller", await kubectl.SucceedAsync("get", "httproute", "store", "-o", "jsonpath={.status.parents[0].controllerName}"));
        var route = Read<HttpRoute>(server, "v1", "HTTPRoute", "default", "store");
        Assert.Equal("Accepted", route.Status!.Parents[0].Conditions[0].Reason);
    }

    static async Task<string> ApplyAsync(KubeApiServer.KubeApiServer server, KubectlRunner kubectl)
    {
        GatewayApiCrds.Install(server);
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, Manifests);
        return await kubectl.SucceedAsync("apply", "-f", file);
    }

    static T Read<T>(KubeApiServer.KubeApiServer server, string version, string kind, string? ns, string name) =>
        ObjectJson.FromNode<T>(server.Get(GatewayApiBundle.Group + "/" + version, kind, ns, name));
}
