using System.Text.Json.Nodes;
using Gateway.Operator.Entities;
using Gateway.Operator.Sync;
using Gateway.Operator.Translation;
using Gateway.Operator.Translation.Plugins;
using Gateway.Proxy.Declarative;
using static Gateway.Operator.Tests.Translation.Cluster;

namespace Gateway.Operator.Tests.Sync;

public class SyncDocumentTests
{
    static (TranslationOutput Ingresses, PluginTranslation Plugins) Translate(string? apiPlugins)
    {
        var ingresses = Gateway.Operator.Tests.Translation.Cluster.Translate(Input(
            [Ingress("api", Path("/api", "api")).Annotated("tollgate.dev/plugins", apiPlugins ?? ""), Ingress("web", Path("/web", "web"))],
            [Service("api"), Service("web")],
            [Slice("api", "api-1", 80, null, Endpoint("10.0.0.1")), Slice("web", "web-1", 80, null, Endpoint("10.0.0.2"))],
            []));
        var targets = ingresses.PluginTargets;
        var keyAuth = new TollgatePlugin { Metadata = new() { Name = "key-auth", NamespaceProperty = "default" }, Plugin = "key-auth" };
        var plugins = PluginTranslator.Translate(new(ingresses.Configuration.OwnerTag, [keyAuth], [], [], [], targets));
        return (ingresses, plugins);
    }

    [Fact]
    public void The_document_is_scoped_by_the_owner_tag_holds_the_plugins_and_is_what_the_proxy_accepts()
    {
        var (ingresses, plugins) = Translate("key-auth");

        var document = SyncDocument.Build(ingresses.Configuration, plugins);

        Assert.Equal([ingresses.Configuration.OwnerTag], document["_info"]!["select_tags"]!.AsArray().Select(t => (string?)t));
        var parsed = DeclarativeParser.Parse(document.ToJsonString());
        Assert.True(parsed.IsValid, parsed.Describe());
        var keyAuth = Assert.Single(parsed.Config!.Plugins);
        Assert.Equal(parsed.Config.Routes.Single(r => r.Name!.Contains(".api.")).Id, keyAuth.Route!.Id);
        Assert.Equal(2, parsed.Config.Routes.Count);
    }

    [Fact]
    public void A_route_whose_plugin_cannot_be_built_is_left_out_and_the_others_are_sent()
    {
        var (ingresses, plugins) = Translate("key-auth, missing");

        var document = SyncDocument.Build(ingresses.Configuration, plugins);

        var routes = document["routes"]!.AsArray().Select(r => (string?)r!["name"]).ToList();
        Assert.DoesNotContain(routes, name => name!.Contains(".api."));
        Assert.Contains(routes, name => name!.Contains(".web."));
    }

    [Fact]
    public void The_proxys_refusal_is_mapped_back_to_the_objects_the_refused_entities_came_from()
    {
        var refusal = JsonNode.Parse("""
            {"code":14,"name":"invalid declarative configuration","message":"declarative config is invalid: {}","fields":{},
             "flattened_errors":[
               {"entity_type":"plugin","entity_name":"rate-limiting","entity_id":"0b0c","entity_tags":["tollgate-operator:gateways.edge","k8s-kind:TollgatePlugin","k8s-namespace:shop","k8s-name:rl"],
                "errors":[{"type":"field","field":"config.second","message":"expected a number"}]},
               {"entity_type":"plugin","entity_name":"prometheus","entity_id":"0b0d","entity_tags":["tollgate-operator:gateways.edge","k8s-kind:TollgateClusterPlugin","k8s-name:metrics"],
                "errors":[{"type":"entity","message":"unknown plugin"}]},
               {"entity_type":"service","entity_name":"manual","entity_id":"0b0e","entity_tags":[],"errors":[{"type":"entity","message":"taken"}]}]}
            """)!.AsObject();

        var bySource = FlattenedErrors.BySource(refusal);

        Assert.Equal(["plugin rate-limiting: config.second: expected a number"], bySource[("TollgatePlugin", "shop", "rl")]);
        Assert.Equal(["plugin prometheus: unknown plugin"], bySource[("TollgateClusterPlugin", "", "metrics")]);
        Assert.Equal(2, bySource.Count);
    }
}
