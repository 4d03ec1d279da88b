using System.Text.Json.Nodes;

namespace Gateway.Operator.Tests.Kubectl;

/// <summary>kubectl apply --server-side against fields a controller applied: a conflict, then ownership taken by force.</summary>
public sealed class KubectlServerSideApplyTests
{
    static JsonObject OperatorsDeployment() => JsonNode.Parse("""
        {
          "apiVersion": "apps/v1", "kind": "Deployment",
          "metadata": { "name": "edge-proxy", "labels": { "app": "edge" } },
          "spec": {
            "replicas": 2,
            "selector": { "matchLabels": { "app": "edge" } },
            "template": {
              "metadata": { "labels": { "app": "edge" } },
              "spec": { "containers": [{ "name": "proxy", "image": "tollgate/proxy:0.1.0", "resources": { "limits": { "memory": "1024Mi" } } }] }
            }
          }
        }
        """)!.AsObject();

    const string UsersManifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: edge-proxy
        spec:
          replicas: 5
          selector:
            matchLabels:
              app: edge
          template:
            metadata:
              labels:
                app: edge
            spec:
              containers:
              - name: proxy
                image: tollgate/proxy:0.1.0
        """;

    [Fact]
    public async Task Server_side_apply_conflicts_with_the_operators_fields_until_forced()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync();
        using var kubectl = new KubectlRunner(server);
        server.Apply("default", OperatorsDeployment(), "tollgate-operator");
        var manifest = Path.GetTempFileName();
        await File.WriteAllTextAsync(manifest, UsersManifest);

        var refused = await kubectl.RunAsync("apply", "--server-side", "-f", manifest);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Apply failed with 1 conflict: conflict with \"tollgate-operator\": .spec.replicas", refused.Stderr);
        Assert.Equal(2, (int)server.Get("apps/v1", "Deployment", "default", "edge-proxy")["spec"]!["replicas"]!);

        var forced = await kubectl.SucceedAsync("apply", "--server-side", "--force-conflicts", "-f", manifest);

        Assert.Contains("deployment.apps/edge-proxy serverside-applied", forced);
        var deployment = server.Get("apps/v1", "Deployment", "default", "edge-proxy");
        Assert.Equal(5, (int)deployment["spec"]!["replicas"]!);
        var entries = deployment["metadata"]!["managedFields"]!.AsArray();
        var kubectlEntry = entries.Single(e => (string?)e!["manager"] == "kubectl")!;
        Assert.Equal("Apply", (string?)kubectlEntry["operation"]);
        Assert.NotNull(kubectlEntry["fieldsV1"]!["f:spec"]!["f:replicas"]);
        var operatorEntry = entries.Single(e => (string?)e!["manager"] == "tollgate-operator")!;
        Assert.Null(operatorEntry["fieldsV1"]!["f:spec"]!["f:replicas"]);
        // The operator still owns the memory limit, stored canonically, which kubectl's manifest leaves alone.
        Assert.Equal("1Gi", (string?)deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["resources"]!["limits"]!["memory"]);

        // The operator applying its own configuration again changes nothing: the quantity is the same value.
        var version = (string?)deployment["metadata"]!["resourceVersion"];
        var reapplied = OperatorsDeployment();
        reapplied["spec"]!.AsObject().Remove("replicas");
        server.Apply("default", reapplied, "tollgate-operator");
        Assert.Equal(version, (string?)server.Get("apps/v1", "Deployment", "default", "edge-proxy")["metadata"]!["resourceVersion"]);
    }
}
