using System.Text.Json.Nodes;

namespace Gateway.Operator.Tests.Kubectl;

/// <summary>The real kubectl applies config/ and a sample to the in-memory API server and reads them back.</summary>
public class KubectlTests
{
    [Fact]
    public async Task Applies_config_and_a_sample_then_get_shows_the_printer_columns()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync();
        using var kubectl = new KubectlRunner(server);

        var manifests = await RenderConfigAsync(kubectl);
        var applied = await kubectl.SucceedAsync("apply", "-f", manifests);
        Assert.Contains("customresourcedefinition.apiextensions.k8s.io/apigateways.tollgate.dev created", applied);
        Assert.Contains("deployment.apps/tollgate-operator created", applied);
        Assert.Contains("clusterrole.rbac.authorization.k8s.io/tollgate-operator created", applied);

        await kubectl.SucceedAsync("apply", "-f", RepositoryRoot.Combine("config", "samples", "tollgate_v1alpha1_apigateway.yaml"));
        server.Patch("tollgate.dev/v1alpha1", "ApiGateway", "default", "gateway", Status("True", "2 of 2 proxies ready", "2/2", "203.0.113.7:80"), status: true);

        var table = await kubectl.SucceedAsync("get", "apigateways");
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "READY", "STATUS", "PROXIES", "ENDPOINT", "CONFIGURATION", "AGE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^gateway\s+True\s+2 of 2 proxies ready\s+2/2\s+203\.0\.113\.7:80\s+\d+s$", lines[1]);

        var byShortName = await kubectl.SucceedAsync("get", "agw", "gateway", "-o", "jsonpath={.spec.proxy.replicas}");
        Assert.Equal("2", byShortName); // the CRD's default, applied by the server
    }

    [Fact]
    public async Task Applying_the_same_files_again_changes_nothing()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync();
        using var kubectl = new KubectlRunner(server);
        var manifests = await RenderConfigAsync(kubectl);
        await kubectl.SucceedAsync("apply", "-f", manifests);
        var sample = RepositoryRoot.Combine("config", "samples", "tollgate_v1alpha1_apigateway_foobar.yaml");
        await kubectl.SucceedAsync("apply", "-f", sample);
        var revision = server.Store.CurrentRevision;

        var again = await kubectl.SucceedAsync("apply", "-f", manifests, "-f", sample);

        Assert.DoesNotContain(" configured", again);
        Assert.Contains("deployment.apps/tollgate-operator unchanged", again);
        Assert.Contains("apigateway.tollgate.dev/foobar unchanged", again);
        Assert.Equal(revision, server.Store.CurrentRevision);
    }

    [Fact]
    public async Task An_edited_sample_is_patched_and_its_generation_moves()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync();
        using var kubectl = new KubectlRunner(server);
        await kubectl.SucceedAsync("apply", "-f", await RenderConfigAsync(kubectl));
        var sample = RepositoryRoot.Combine("config", "samples", "tollgate_v1alpha1_apigateway_foobar.yaml");
        await kubectl.SucceedAsync("apply", "-f", sample);

        var edited = Path.GetTempFileName();
        await File.WriteAllTextAsync(edited, (await File.ReadAllTextAsync(sample)).Replace("replicas: 2", "replicas: 3"));
        var output = await kubectl.SucceedAsync("apply", "-f", edited);

        Assert.Contains("apigateway.tollgate.dev/foobar configured", output);
        var gateway = server.Get("tollgate.dev/v1alpha1", "ApiGateway", "default", "foobar");
        Assert.Equal(3, (int)gateway["spec"]!["proxy"]!["replicas"]!);
        Assert.Equal(2, (long)gateway["metadata"]!["generation"]!);
    }

    [Theory]
    [InlineData("replicas: 500", "spec.proxy.replicas: Invalid value: 500: spec.proxy.replicas in body should be less than or equal to 100")]
    [InlineData("replica: 3", "strict decoding error: unknown field \"spec.proxy.replica\"")]
    public async Task A_gateway_the_schema_refuses_is_rejected_with_the_field_named(string proxyField, string message)
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync();
        using var kubectl = new KubectlRunner(server);
        await kubectl.SucceedAsync("apply", "-f", await RenderConfigAsync(kubectl));
        var invalid = Path.GetTempFileName();
        await File.WriteAllTextAsync(invalid, $"""
            apiVersion: tollgate.dev/v1alpha1
            kind: ApiGateway
            metadata:
              name: broken
            spec:
              proxy:
                {proxyField}
            """);

        var result = await kubectl.RunAsync("apply", "-f", invalid);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.Null(server.TryGet("tollgate.dev/v1alpha1", "ApiGateway", "default", "broken"));
    }

    [Fact]
    public async Task Server_side_apply_creates_and_updates_a_gateway()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync();
        using var kubectl = new KubectlRunner(server);
        await kubectl.SucceedAsync("apply", "-f", await RenderConfigAsync(kubectl));
        var sample = RepositoryRoot.Combine("config", "samples", "tollgate_v1alpha1_apigateway_foobar.yaml");

        var created = await kubectl.SucceedAsync("apply", "--server-side", "-f", sample);
        Assert.Contains("apigateway.tollgate.dev/foobar serverside-applied", created);

        var edited = Path.GetTempFileName();
        await File.WriteAllTextAsync(edited, (await File.ReadAllTextAsync(sample)).Replace("port: 80", "port: 8080"));
        await kubectl.SucceedAsync("apply", "--server-side", "-f", edited);
        Assert.Equal("8080", await kubectl.SucceedAsync("get", "agw", "foobar", "-o", "jsonpath={.spec.proxy.service.port}"));
    }

    [Fact]
    public async Task Kubectl_patches_with_json_and_merge_patches_and_deletes()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync();
        using var kubectl = new KubectlRunner(server);
        await kubectl.SucceedAsync("apply", "-f", await RenderConfigAsync(kubectl));
        await kubectl.SucceedAsync("apply", "-f", RepositoryRoot.Combine("config", "samples", "tollgate_v1alpha1_apigateway.yaml"));

        await kubectl.SucceedAsync("patch", "agw", "gateway", "--type=json", "-p", """[{"op":"replace","path":"/spec/proxy/replicas","value":4}]""");
        await kubectl.SucceedAsync("patch", "agw", "gateway", "--type=merge", "-p", """{"spec":{"redis":{"mode":"Disabled"}}}""");
        var spec = await kubectl.SucceedAsync("get", "agw", "gateway", "-o", "jsonpath={.spec.proxy.replicas} {.spec.redis.mode} {.metadata.generation}");
        Assert.Equal("4 Disabled 3", spec);

        Assert.Contains("apigateway.tollgate.dev \"gateway\" deleted", await kubectl.SucceedAsync("delete", "agw", "gateway"));
        var missing = await kubectl.RunAsync("get", "agw", "gateway");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("apigateways.tollgate.dev \"gateway\" not found", missing.Stderr);
    }

    static async Task<string> RenderConfigAsync(KubectlRunner kubectl)
    {
        var rendered = await kubectl.SucceedAsync("kustomize", RepositoryRoot.Combine("config", "default"));
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, rendered);
        return file;
    }

    static JsonObject Status(string ready, string message, string proxies, string endpoint) => new()
    {
        ["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready",
                ["status"] = ready,
                ["reason"] = "Available",
                ["message"] = message,
                ["lastTransitionTime"] = "2026-01-01T00:00:00Z",
            }),
            ["proxies"] = proxies,
            ["endpoint"] = endpoint,
        },
    };
}
