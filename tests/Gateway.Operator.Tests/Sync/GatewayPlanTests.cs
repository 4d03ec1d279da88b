using System.Text.Json.Nodes;
using Gateway.Operator.Builders;
using Gateway.Operator.Entities;
using Gateway.Operator.Sync;
using Gateway.Operator.Translation;
using Gateway.Proxy.Declarative;
using static Gateway.Operator.Tests.Translation.Cluster;

namespace Gateway.Operator.Tests.Sync;

/// <summary>The pure half of the sync: cluster objects into a gateway's document and verdicts, and the pruning of a refusal.</summary>
public class GatewayPlanTests
{
    static ApiGateway Gateway(string className = ClassName) => new()
    {
        Metadata = new() { Name = "edge", NamespaceProperty = "default" },
        Spec = new() { Ingress = new() { ClassName = className } },
    };

    static TollgatePlugin Plugin(string name, string plugin, JsonObject? config = null) =>
        new() { Metadata = new() { Name = name, NamespaceProperty = "default", Generation = 1 }, Plugin = plugin, Config = config };

    static TollgateConsumer Consumer(string name, string? className = null, params string[] credentials) => new()
    {
        Metadata = new()
        {
            Name = name, NamespaceProperty = "default", Generation = 1,
            Annotations = className is null ? null : new Dictionary<string, string> { [IngressClassSelection.LegacyClassAnnotation] = className },
        },
        Username = name,
        Credentials = [.. credentials],
    };

    static ClusterState Cluster(IEnumerable<TollgatePlugin>? plugins = null, IEnumerable<TollgateConsumer>? consumers = null, string? servicePlugins = null, string? ingressPlugins = null)
    {
        var service = Service("api");
        if (servicePlugins is not null)
            service = service.Annotated(PluginTarget.Annotation, servicePlugins);
        var ingress = Ingress("api", Path("/api", "api"));
        if (ingressPlugins is not null)
            ingress = ingress.Annotated(PluginTarget.KongAnnotation, ingressPlugins);
        return new ClusterState
        {
            IngressClasses = [IngressClassBuilder.IngressClass(Gateway())],
            Ingresses = [ingress, Ingress("web", Path("/web", "api"))],
            Services = [service],
            EndpointSlices = [Slice("api", "api-1", 80, null, Endpoint("10.0.0.1"))],
            Plugins = [.. plugins ?? []],
            Consumers = [.. consumers ?? []],
        };
    }

    static JsonArray Entities(GatewayPlan plan, string collection) => plan.Document[collection] as JsonArray ?? [];

    [Fact]
    public void Plugins_named_on_an_Ingress_attach_to_its_routes_and_on_a_Service_to_its_Kong_service()
    {
        var plan = GatewayPlan.For(Gateway(), Cluster([Plugin("key-auth", "key-auth"), Plugin("limit", "rate-limiting", new() { ["second"] = 9 })],
            servicePlugins: "limit", ingressPlugins: "key-auth"));

        var parsed = DeclarativeParser.Parse(plan.Document.ToJsonString());
        Assert.True(parsed.IsValid, parsed.Describe());
        var keyAuth = parsed.Config!.Plugins.Single(p => p.Name == "key-auth");
        Assert.Equal(parsed.Config.Routes.Single(r => r.Name == "default.api._api").Id, keyAuth.Route!.Id);
        var limit = parsed.Config.Plugins.Single(p => p.Name == "rate-limiting");
        Assert.Equal(parsed.Config.Services.Single().Id, limit.Service!.Id);
        Assert.Null(limit.Route);
        Assert.All(plan.Results, r => Assert.True(r.Programmed, r.Message));
    }

    [Fact]
    public void A_gateway_serves_nothing_through_a_class_another_gateway_holds()
    {
        var cluster = Cluster();
        var second = Gateway();
        second.Metadata.Name = "second";

        Assert.Equal(2, Entities(GatewayPlan.For(Gateway(), cluster), "routes").Count);
        Assert.Empty(Entities(GatewayPlan.For(second, cluster), "routes"));
    }

    [Fact]
    public void Consumers_naming_another_class_belong_to_another_gateway_and_classless_ones_to_every_gateway()
    {
        var cluster = Cluster(consumers: [Consumer("ours", ClassName), Consumer("theirs", "other"), Consumer("everyones")]);

        var names = Entities(GatewayPlan.For(Gateway(), cluster), "consumers").Select(c => (string?)c!["username"]).Order().ToList();

        Assert.Equal(["everyones", "ours"], names);
        Assert.DoesNotContain(GatewayPlan.For(Gateway(), cluster).Results, r => r.Source.Name == "theirs");
    }

    [Fact]
    public void Pruning_a_refused_source_takes_its_entities_and_everything_that_refers_to_them()
    {
        var plan = GatewayPlan.For(Gateway(), Cluster([Plugin("key-auth", "key-auth")], ingressPlugins: "key-auth"));
        Assert.Single(Entities(plan, "plugins"));

        var withoutService = DocumentPruning.Without(plan.Document, new HashSet<(string, string, string)> { ("Service", "default", "api") });

        // The service goes, its upstream and targets (tagged with the same Service), the routes to it and their plugin.
        Assert.Empty(Entities(new GatewayPlan(plan.OwnerTag, withoutService, []), "upstreams"));
        Assert.Empty(Entities(new GatewayPlan(plan.OwnerTag, withoutService, []), "services"));
        Assert.Empty(Entities(new GatewayPlan(plan.OwnerTag, withoutService, []), "routes"));
        Assert.Empty(Entities(new GatewayPlan(plan.OwnerTag, withoutService, []), "plugins"));
        Assert.Equal(2, Entities(plan, "routes").Count); // the original is untouched

        var withoutOneIngress = DocumentPruning.Without(plan.Document, new HashSet<(string, string, string)> { ("Ingress", "default", "api") });
        var route = Assert.Single(Entities(new GatewayPlan(plan.OwnerTag, withoutOneIngress, []), "routes"));
        Assert.Equal(("Ingress", "default", "web"), DocumentPruning.SourceOf(route!.AsObject()));
        Assert.Empty(Entities(new GatewayPlan(plan.OwnerTag, withoutOneIngress, []), "plugins"));
        Assert.True(DeclarativeParser.Parse(withoutOneIngress.ToJsonString()).IsValid);
    }

    [Fact]
    public void A_plugin_the_proxy_refused_withholds_the_routes_naming_it_and_a_refused_credential_fails_its_consumer()
    {
        var cluster = Cluster([Plugin("key-auth", "key-auth")], [Consumer("alice", null, "alice-key")], ingressPlugins: "key-auth") with
        {
            Secrets = [new V1Secret
            {
                Metadata = new() { Name = "alice-key", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["tollgate.dev/credential"] = "key-auth" } },
                Data = new Dictionary<string, byte[]> { ["key"] = "k1"u8.ToArray() },
            }],
        };
        var served = GatewayPlan.For(Gateway(), cluster);
        Assert.Single(Entities(served, "keyauth_credentials"));
        Assert.Contains(Entities(served, "routes"), r => (string?)r!["name"] == "default.api._api");
        var refused = new Dictionary<(string, string, string), Problem>
        {
            [("TollgatePlugin", "default", "key-auth")] = GatewayPlan.Refusal("TollgatePlugin", ["plugin: config.x: unknown field"]),
            [("Secret", "default", "alice-key")] = GatewayPlan.Refusal("Secret", ["keyauth_credential: key: already exists"]),
        };

        var plan = GatewayPlan.For(Gateway(), cluster, refused);

        Assert.DoesNotContain(Entities(plan, "routes"), r => (string?)r!["name"] == "default.api._api");
        Assert.Empty(Entities(plan, "plugins"));
        Assert.Empty(Entities(plan, "keyauth_credentials"));
        Assert.Single(Entities(plan, "consumers"));
        SourceResult Of(string kind, string name) => plan.Results.Single(r => r.Source.Kind == kind && r.Source.Name == name);
        Assert.Equal(("config", "RejectedByProxy"), (Of("TollgatePlugin", "key-auth").Problems[0].Field, Of("TollgatePlugin", "key-auth").Reason));
        Assert.Equal("PluginNotReady", Of("Ingress", "api").Reason);
        Assert.True(Of("Ingress", "web").Programmed);
        Assert.Equal("credentials: the gateway refused it: keyauth_credential: key: already exists", Of("TollgateConsumer", "alice").Message);
    }

    [Fact]
    public void An_object_is_programmed_only_when_every_gateway_serving_it_serves_it()
    {
        var source = new SourceObject("tollgate.dev", "v1alpha1", "TollgatePlugin", "default", "limit", null, 1);
        var ok = new SourceResult(source, []);
        var bad = new SourceResult(source, [new Problem("config", "InvalidConfig", "second: expected a number")]);

        var single = SyncVerdicts.Combine([new GatewayResults("default/a", [ok], null)]);
        Assert.Equal(SyncVerdict.Served, single[("TollgatePlugin", "default", "limit")]);

        var pending = SyncVerdicts.Combine([new GatewayResults("default/a", [ok], "ApiGateway default/a has no ready proxy yet")]);
        Assert.Equal(new SyncVerdict(false, "Pending", "ApiGateway default/a has no ready proxy yet"), pending[("TollgatePlugin", "default", "limit")]);

        var mixed = SyncVerdicts.Combine([new GatewayResults("default/a", [ok], null), new GatewayResults("default/b", [bad], null)]);
        Assert.Equal(new SyncVerdict(false, "InvalidConfig", "ApiGateway default/b: config: second: expected a number"), mixed[("TollgatePlugin", "default", "limit")]);
    }

    [Fact]
    public void The_summary_counts_and_names_the_first_failures()
    {
        SourceResult Result(string name, bool ok) => new(new SourceObject("networking.k8s.io", "v1", "Ingress", "default", name, null, 1),
            ok ? [] : [new Problem("spec.rules[0].http.paths[0].path", "InvalidPath", "bad regex")]);

        var summary = SyncSummary.Of([Result("a", true), Result("b", false), Result("c", true)], null, null);

        Assert.Equal((2, 1), (summary.Programmed, summary.Failed));
        Assert.Equal("2 objects programmed, 1 failed: Ingress default/b: bad regex", summary.Message);
        Assert.StartsWith("configuration not applied: no ready proxy", SyncSummary.Of([], "no ready proxy", null).Message);
    }

    [Fact]
    public void The_Secrets_a_configuration_names_are_exactly_those_it_reads()
    {
        var cluster = Cluster(consumers: [Consumer("alice", null, "alice-key", "alice-jwt")]) with
        {
            Ingresses = [WithTls(Ingress("api", Path("/api", "api")), "api-cert")],
            ClusterPlugins = [new TollgateClusterPlugin { Metadata = new() { Name = "oidc" }, Plugin = "openid", ConfigFrom = new() { SecretKeyRef = new() { Name = "oidc", Key = "config", Namespace = "auth" } } }],
        };

        var names = SecretReferences.Of(cluster, [Gateway()]);

        Assert.Equal([("auth", "oidc"), ("default", "alice-jwt"), ("default", "alice-key"), ("default", "api-cert"), ("default", "edge-admin-token")], names);
    }

    static V1Ingress WithTls(V1Ingress ingress, string secret)
    {
        ingress.Spec.Tls = [new V1IngressTLS { Hosts = ["api.example.com"], SecretName = secret }];
        return ingress;
    }

    [Fact]
    public void An_Ingress_is_reached_at_the_load_balancer_address_else_at_the_cluster_IP()
    {
        var balanced = new V1Service
        {
            Spec = new() { Type = "LoadBalancer", ClusterIP = "10.96.0.10" },
            Status = new() { LoadBalancer = new() { Ingress = [new() { Ip = "203.0.113.1" }, new() { Hostname = "lb.example.com" }] } },
        };
        Assert.Equal([("203.0.113.1", null), (null, "lb.example.com")], IngressAddresses.Of(balanced).Select(a => ((string?)a.Ip, (string?)a.Hostname)));
        Assert.Empty(IngressAddresses.Of(new V1Service { Spec = new() { Type = "LoadBalancer", ClusterIP = "10.96.0.10" } }));
        Assert.Equal(["10.96.0.10"], IngressAddresses.Of(new V1Service { Spec = new() { Type = "ClusterIP", ClusterIP = "10.96.0.10" } }).Select(a => a.Ip));
    }
}
