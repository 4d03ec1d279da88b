using System.Net;
using System.Text.Json.Nodes;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>
/// One bad object never stops the others: each is left out (with what names it), says why on itself, and the rest
/// of the gateway's configuration is served; a credential Secret applied after its consumer is picked up.
/// </summary>
public class IsolationSyncTests
{
    const string Objects = """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: good
        spec:
          ingressClassName: tollgate
          rules:
          - http:
              paths:
              - {path: /good, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: members
          annotations:
            tollgate.dev/plugins: key-auth
        spec:
          ingressClassName: tollgate
          rules:
          - http:
              paths:
              - {path: /members, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: bad-regex
        spec:
          ingressClassName: tollgate
          rules:
          - http:
              paths:
              - {path: "~/broken/(unclosed", pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: uses-unknown
          annotations:
            tollgate.dev/plugins: unknown
        spec:
          ingressClassName: tollgate
          rules:
          - http:
              paths:
              - {path: /unknown, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: uses-bad-config
          annotations:
            tollgate.dev/plugins: bad-config
        spec:
          ingressClassName: tollgate
          rules:
          - http:
              paths:
              - {path: /limited, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: TollgatePlugin
        metadata: {name: key-auth}
        plugin: key-auth
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: TollgatePlugin
        metadata: {name: unknown}
        plugin: no-such-plugin
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: TollgatePlugin
        metadata: {name: bad-config}
        plugin: rate-limiting
        config:
          second: lots
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: TollgateConsumer
        metadata: {name: alice}
        username: alice
        credentials: [alice-key]
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: TollgateConsumer
        metadata: {name: bob}
        username: bob
        credentials: [bob-key]
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: TollgateConsumer
        metadata: {name: carol}
        username: carol
        credentials: [carol-key]
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: TollgateConsumer
        metadata: {name: mallory}
        username: mallory
        credentials: [mallory-key]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: bob-key, labels: {tollgate.dev/credential: key-auth}}
        stringData: {key: bob-secret-key}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: carol-key, labels: {tollgate.dev/credential: key-auth}}
        stringData: {key: bob-secret-key}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: mallory-key, labels: {tollgate.dev/credential: key-auth}}
        stringData: {password: no-key-here}
        """;

    [Fact]
    public async Task Every_bad_object_is_left_out_and_says_why_while_everything_else_is_served()
    {
        await using var harness = await SyncHarness.StartAsync();
        await harness.ServiceAsync("web", 80);

        await harness.ApplyAsync(Objects);

        await harness.Fleet.UntilEveryProxyAsync("/good", HttpStatusCode.OK);
        await UntilEveryProxyWithKeyAsync(harness, "/members", "bob-secret-key", HttpStatusCode.OK);
        await harness.Fleet.UntilEveryProxyAsync("/members", HttpStatusCode.Unauthorized);

        // Routes whose plugins cannot be built are not served without them.
        var unknown = await harness.UntilProgrammedAsync("TollgatePlugin", "unknown", "False");
        Assert.Equal("RejectedByProxy", (string?)unknown["reason"]);
        Assert.Contains("no-such-plugin", (string?)unknown["message"]);
        var badConfig = await harness.UntilProgrammedAsync("TollgatePlugin", "bad-config", "False");
        Assert.Equal("RejectedByProxy", (string?)badConfig["reason"]);
        Assert.Contains("second", (string?)badConfig["message"]);
        await harness.Fleet.UntilEveryProxyAsync("/unknown", HttpStatusCode.NotFound);
        await harness.Fleet.UntilEveryProxyAsync("/limited", HttpStatusCode.NotFound);
        await Wait.UntilAsync(() => harness.Warnings("Ingress", "uses-unknown").Any(e => (string?)e["reason"] == "PluginNotReady"),
            "the Ingress naming the unknown plugin has a Warning Event");
        await Wait.UntilAsync(() => harness.Warnings("Ingress", "bad-regex").Any(e => ((string?)e["message"] ?? "").Contains("spec.rules[0].http.paths[0].path")),
            "the Ingress with the bad regex has a Warning Event naming the path");

        // Consumers: a missing, a malformed and a taken credential each fail on their own consumer.
        Assert.Equal("True", (string?)(await harness.UntilProgrammedAsync("TollgateConsumer", "bob"))["status"]);
        // (Secrets applied after their consumers are found missing first, so each waits for its final reason.)
        await UntilRefusedAsync(harness, "alice", "credentials[0]: Secret default/alice-key does not exist");
        await UntilRefusedAsync(harness, "carol", "is already a key-auth credential of consumer default/bob");
        await UntilRefusedAsync(harness, "mallory", "credentials[0]: Secret default/mallory-key has no 'key'");

        var synced = harness.Cluster.Condition(SyncHarness.Gateway, "ConfigurationSynced")!;
        Assert.Equal(("False", "ObjectsFailed"), ((string?)synced["status"], (string?)synced["reason"]));

        // The missing Secret appears: its consumer is served, with no other change applied.
        await harness.ApplyAsync("""
            apiVersion: v1
            kind: Secret
            metadata:
              name: alice-key
              labels: {tollgate.dev/credential: key-auth}
            stringData: {key: alice-secret-key}
            """);
        await harness.UntilProgrammedAsync("TollgateConsumer", "alice");
        await UntilEveryProxyWithKeyAsync(harness, "/members", "alice-secret-key", HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_new_reason_for_an_object_left_out_is_written_though_the_configuration_stays_the_same()
    {
        await using var harness = await SyncHarness.StartAsync(proxies: 1);
        await harness.ApplyAsync("""
            apiVersion: tollgate.dev/v1alpha1
            kind: TollgateConsumer
            metadata: {name: dave}
            username: dave
            credentials: [dave-key]
            """);
        await UntilRefusedAsync(harness, "dave", "credentials[0]: Secret default/dave-key does not exist");

        // The consumer stays out of the configuration, for another reason now.
        await harness.ApplyAsync("""
            apiVersion: v1
            kind: Secret
            metadata: {name: dave-key, labels: {tollgate.dev/credential: key-auth}}
            stringData: {password: no-key-here}
            """);

        await UntilRefusedAsync(harness, "dave", "credentials[0]: Secret default/dave-key has no 'key'");
    }

    static Task UntilRefusedAsync(SyncHarness harness, string consumer, string reason) =>
        Wait.UntilAsync(() => harness.Programmed("TollgateConsumer", consumer) is { } c && (string?)c["status"] == "False" && ((string?)c["message"] ?? "").Contains(reason),
            $"consumer {consumer} is not programmed because {reason} (now: {harness.Programmed("TollgateConsumer", consumer)?.ToJsonString()})", 15);

    static async Task UntilEveryProxyWithKeyAsync(SyncHarness harness, string path, string key, HttpStatusCode status)
    {
        foreach (var proxy in harness.Fleet.Proxies)
        {
            await Wait.UntilAsync(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Add("apikey", key);
                using var response = await proxy.SendAsync(request);
                return response.StatusCode == status;
            }, $"{path} with key {key} answers {(int)status}", 15);
        }
    }
}
