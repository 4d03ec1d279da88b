using System.Text;
using System.Text.Json.Nodes;
using Gateway.Operator.Entities;
using Gateway.Operator.Translation;
using Gateway.Operator.Translation.Plugins;

namespace Gateway.Operator.Tests.Translation.Plugins;

public class PluginTranslatorTests
{
    static readonly string Owner = SourceTags.Owner("gateways", "edge");
    const string Ns = "shop";

    static TollgatePlugin Plugin(string name, string plugin, JsonObject? config = null) => new()
    {
        Metadata = new() { Name = name, NamespaceProperty = Ns, Uid = $"uid-{name}" },
        Plugin = plugin,
        Config = config,
    };

    static TollgateConsumer Consumer(string name, string username, string? plugins = null, params string[] credentials) => new()
    {
        Metadata = new()
        {
            Name = name, NamespaceProperty = Ns, Uid = $"uid-{name}",
            Annotations = plugins is null ? null : new Dictionary<string, string> { [PluginTranslator.PluginsAnnotation] = plugins },
        },
        Username = username,
        Credentials = [.. credentials],
    };

    static V1Secret Credential(string name, string type, params (string Key, string Value)[] data) => new()
    {
        Metadata = new() { Name = name, NamespaceProperty = Ns, Labels = new Dictionary<string, string> { [ConsumerTranslator.CredentialLabel] = type } },
        Data = data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetBytes(d.Value)),
    };

    static PluginTarget Route(string ingress, string id, string? plugins) =>
        new(new("networking.k8s.io", "v1", "Ingress", Ns, ingress, $"uid-{ingress}", 1), "routes", id, plugins);

    static PluginTranslation Translate(IEnumerable<TollgatePlugin>? plugins = null, IEnumerable<TollgateConsumer>? consumers = null,
        IEnumerable<V1Secret>? secrets = null, IEnumerable<PluginTarget>? targets = null, IEnumerable<TollgateClusterPlugin>? clusterPlugins = null) =>
        PluginTranslator.Translate(new(Owner, [.. plugins ?? []], [.. clusterPlugins ?? []], [.. consumers ?? []], [.. secrets ?? []], [.. targets ?? []]));

    static List<JsonObject> Of(PluginTranslation translation, string collection) =>
        translation.Entities.Where(e => e.Collection == collection).Select(e => e.Body).ToList();

    static SourceResult ResultOf(PluginTranslation translation, string kind, string name) =>
        translation.Results.Single(r => r.Source.Kind == kind && r.Source.Name == name);

    [Fact]
    public void Seed_000s_tiers_are_written_as_resources_a_service_wide_default_and_a_slower_limit_for_one_user()
    {
        // key-auth and a default of 10 requests a second on the route; slow_user gets 4 a second on the same route.
        var translation = Translate(
            plugins: [Plugin("key-auth", "key-auth"), Plugin("rl-default", "rate-limiting", new JsonObject { ["second"] = 10 }),
                Plugin("rl-slow", "rate-limiting", new JsonObject { ["second"] = 4 })],
            consumers: [Consumer("slow-user", "slow_user", "rl-slow", "slow-user-key"), Consumer("fast-user", "fast_user", null, "fast-user-key")],
            secrets: [Credential("slow-user-key", "key-auth", ("key", "332d05445a560ee65a76aeaa372d8904")), Credential("fast-user-key", "key-auth", ("key", "f457"))],
            targets: [Route("api", "route-1", "key-auth, rl-default, rl-slow")]);

        var plugins = Of(translation, "plugins");
        var slowUser = (string)Of(translation, "consumers").Single(c => (string?)c["username"] == "slow_user")["id"]!;
        var slow = plugins.Single(p => (int?)p["config"]?["second"] == 4);
        Assert.Equal((slowUser, "route-1"), ((string?)slow["consumer"]!["id"], (string?)slow["route"]!["id"]));
        var byDefault = plugins.Single(p => (int?)p["config"]?["second"] == 10);
        Assert.Null(byDefault["consumer"]);
        Assert.Equal("route-1", (string?)byDefault["route"]!["id"]);
        Assert.Equal(2, Of(translation, "keyauth_credentials").Count);
        Assert.Equal("332d05445a560ee65a76aeaa372d8904",
            (string?)Of(translation, "keyauth_credentials").Single(k => (string?)k["consumer"]!["id"] == slowUser)["key"]);
        Assert.All(translation.Results, r => Assert.True(r.Programmed, r.Message));
        Assert.Empty(translation.WithheldTargets);
    }

    [Fact]
    public void Entities_carry_stable_ids_and_tags_naming_their_source_and_the_owner()
    {
        PluginTranslation Once() => Translate(plugins: [Plugin("key-auth", "key-auth")], targets: [Route("api", "route-1", "key-auth")],
            consumers: [Consumer("alice", "alice")]);

        var first = Once();
        var plugin = Of(first, "plugins").Single();
        Assert.Equal([Owner, "k8s-kind:TollgatePlugin", "k8s-namespace:shop", "k8s-name:key-auth", "k8s-uid:uid-key-auth", "k8s-group:tollgate.dev", "k8s-version:v1alpha1"],
            plugin["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(first.Entities.Select(e => e.Body.ToJsonString()), Once().Entities.Select(e => e.Body.ToJsonString()));
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", (string)plugin["id"]!);
    }

    [Fact]
    public void A_route_naming_a_plugin_that_does_not_exist_is_withheld_and_says_why_and_the_others_are_served()
    {
        var translation = Translate(plugins: [Plugin("key-auth", "key-auth")],
            targets: [Route("api", "route-1", "key-auth, missing"), Route("shop", "route-2", "key-auth")]);

        Assert.Equal(["route-1"], translation.WithheldTargets);
        var failed = ResultOf(translation, "Ingress", "api");
        Assert.False(failed.Programmed);
        Assert.Equal("metadata.annotations[tollgate.dev/plugins]: no TollgatePlugin shop/missing nor TollgateClusterPlugin missing", failed.Message);
        Assert.Equal("route-2", (string?)Of(translation, "plugins").Single()["route"]!["id"]);
    }

    [Fact]
    public void A_plugin_whose_secret_config_is_missing_fails_itself_and_withholds_only_what_names_it()
    {
        var fromSecret = Plugin("jwt-config", "jwt");
        fromSecret.ConfigFrom = new() { SecretKeyRef = new() { Name = "jwt-settings", Key = "config" } };

        var translation = Translate(plugins: [fromSecret, Plugin("cors", "cors")],
            targets: [Route("api", "route-1", "jwt-config"), Route("web", "route-2", "cors")]);

        Assert.Equal("configFrom.secretKeyRef: Secret shop/jwt-settings does not exist", ResultOf(translation, "TollgatePlugin", "jwt-config").Message);
        Assert.Equal(["route-1"], translation.WithheldTargets);
        Assert.StartsWith("metadata.annotations[tollgate.dev/plugins]: plugin jwt-config cannot be built", ResultOf(translation, "Ingress", "api").Message);
        Assert.Equal("cors", (string?)Of(translation, "plugins").Single()["name"]);
    }

    [Fact]
    public void A_config_from_a_secret_is_read_as_json()
    {
        var fromSecret = Plugin("jwt-config", "jwt");
        fromSecret.ConfigFrom = new() { SecretKeyRef = new() { Name = "jwt-settings", Key = "config" } };
        var secret = new V1Secret
        {
            Metadata = new() { Name = "jwt-settings", NamespaceProperty = Ns },
            Data = new Dictionary<string, byte[]> { ["config"] = Encoding.UTF8.GetBytes("""{"claims_to_verify":["exp"]}""") },
        };

        var translation = Translate(plugins: [fromSecret], secrets: [secret], targets: [Route("api", "route-1", "jwt-config")]);

        Assert.Equal("exp", (string?)Of(translation, "plugins").Single()["config"]!["claims_to_verify"]![0]);
    }

    [Fact]
    public void A_cluster_plugin_is_found_when_the_namespace_has_none_of_that_name_and_a_global_one_applies_everywhere()
    {
        var shared = new TollgateClusterPlugin { Metadata = new() { Name = "request-id" }, Plugin = "correlation-id" };
        var global = new TollgateClusterPlugin
        {
            Metadata = new() { Name = "prometheus", Labels = new Dictionary<string, string> { [PluginTranslator.GlobalLabel] = "true" } },
            Plugin = "prometheus",
        };

        var translation = Translate(clusterPlugins: [shared, global], targets: [Route("api", "route-1", "request-id")]);

        var plugins = Of(translation, "plugins");
        Assert.Equal("route-1", (string?)plugins.Single(p => (string?)p["name"] == "correlation-id")["route"]!["id"]);
        var everywhere = plugins.Single(p => (string?)p["name"] == "prometheus");
        Assert.Null(everywhere["route"]);
        Assert.Null(everywhere["service"]);
        Assert.Null(everywhere["consumer"]);
    }

    [Fact]
    public void A_consumer_whose_credential_secret_is_missing_is_served_without_it_and_says_which()
    {
        var translation = Translate(consumers: [Consumer("alice", "alice", null, "alice-key", "alice-group")],
            secrets: [Credential("alice-group", "acl", ("group", "admins"))]);

        var result = ResultOf(translation, "TollgateConsumer", "alice");
        Assert.False(result.Programmed);
        Assert.Equal("credentials[0]: Secret shop/alice-key does not exist", result.Message);
        Assert.Single(Of(translation, "consumers"));
        Assert.Equal("admins", (string?)Of(translation, "acls").Single()["group"]);

        var later = Translate(consumers: [Consumer("alice", "alice", null, "alice-key", "alice-group")],
            secrets: [Credential("alice-group", "acl", ("group", "admins")), Credential("alice-key", "key-auth", ("key", "k1"))]);
        Assert.True(ResultOf(later, "TollgateConsumer", "alice").Programmed);
    }

    [Fact]
    public void Two_consumers_claiming_one_key_or_one_username_keep_the_first_and_fail_the_second()
    {
        var translation = Translate(
            consumers: [Consumer("alice", "alice", null, "alice-key"), Consumer("bob", "bob", null, "bob-key"), Consumer("zed", "alice")],
            secrets: [Credential("alice-key", "key-auth", ("key", "same")), Credential("bob-key", "key-auth", ("key", "same"))]);

        Assert.Equal("same", (string?)Of(translation, "keyauth_credentials").Single()["key"]);
        Assert.Equal("credentials[0]: the key in Secret shop/bob-key is already a key-auth credential of consumer shop/alice",
            ResultOf(translation, "TollgateConsumer", "bob").Message);
        Assert.Equal("username: 'alice' is already the username of consumer shop/alice", ResultOf(translation, "TollgateConsumer", "zed").Message);
        Assert.Equal(["alice", "bob"], Of(translation, "consumers").Select(c => (string?)c["username"]));
    }

    [Fact]
    public void A_credential_secret_without_its_label_or_a_field_is_named_in_the_consumers_status()
    {
        var unlabelled = new V1Secret { Metadata = new() { Name = "plain", NamespaceProperty = Ns }, Data = new Dictionary<string, byte[]>() };
        var translation = Translate(consumers: [Consumer("alice", "alice", null, "plain", "half")],
            secrets: [unlabelled, Credential("half", "basic-auth", ("username", "alice"))]);

        Assert.Equal("credentials[0]: Secret shop/plain needs the label tollgate.dev/credential set to key-auth, basic-auth, jwt or acl; "
                     + "credentials[1]: Secret shop/half has no 'password' for its basic-auth credential", ResultOf(translation, "TollgateConsumer", "alice").Message);
        Assert.Empty(Of(translation, "basicauth_credentials"));
    }

    [Fact]
    public void A_consumer_naming_a_plugin_that_cannot_be_built_is_withheld_with_its_credentials()
    {
        var translation = Translate(consumers: [Consumer("alice", "alice", "missing", "alice-key")],
            secrets: [Credential("alice-key", "key-auth", ("key", "k1"))]);

        Assert.Empty(Of(translation, "consumers"));
        Assert.Empty(Of(translation, "keyauth_credentials"));
        Assert.Equal("PluginNotReady", ResultOf(translation, "TollgateConsumer", "alice").Reason);
    }
}
