namespace Gateway.Operator.Tests.Kubectl;

/// <summary>
/// Plugin and consumer resources as a Kong Ingress Controller user writes them: the same manifests with only
/// apiVersion and kind changed, applied with the real kubectl to the in-memory API server with the generated CRDs.
/// </summary>
public class KubectlPluginResourceTests
{
    const string Resources = """
        apiVersion: tollgate.dev/v1alpha1
        kind: TollgatePlugin
        metadata:
          name: rl-by-ip
        config:
          hour: 100
          limit_by: ip
          second: 10
        plugin: rate-limiting
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: TollgateClusterPlugin
        metadata:
          name: request-id
          labels:
            global: "true"
        config:
          header_name: X-Request-ID
        plugin: correlation-id
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: TollgateConsumer
        metadata:
          name: slow-user
        username: slow_user
        custom_id: slow-1
        credentials:
          - slow-user-key
        """;

    static async Task<KubectlRunner> StartAsync(KubeApiServer.KubeApiServer server)
    {
        var kubectl = new KubectlRunner(server);
        await kubectl.SucceedAsync("apply", "-f", RepositoryRoot.Combine("config", "crd", "bases"));
        return kubectl;
    }

    [Fact]
    public async Task Kong_ingress_controller_manifests_apply_with_only_apiVersion_and_kind_changed_and_get_shows_their_columns()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync();
        using var kubectl = await StartAsync(server);
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, Resources);

        var applied = await kubectl.SucceedAsync("apply", "-f", file);

        Assert.Contains("tollgateplugin.tollgate.dev/rl-by-ip created", applied);
        Assert.Contains("tollgateclusterplugin.tollgate.dev/request-id created", applied);
        Assert.Contains("tollgateconsumer.tollgate.dev/slow-user created", applied);
        var plugins = (await kubectl.SucceedAsync("get", "tgp")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "PLUGIN", "DISABLED", "PROGRAMMED", "AGE"], plugins[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^rl-by-ip\s+rate-limiting\s+false\s+\d+s$", plugins[1]);
        // The plugin's configuration is kept as written: the gateway's own schema checks it.
        Assert.Equal("ip", await kubectl.SucceedAsync("get", "tollgateplugin", "rl-by-ip", "-o", "jsonpath={.config.limit_by}"));
        Assert.Equal("correlation-id", await kubectl.SucceedAsync("get", "tgcp", "request-id", "-o", "jsonpath={.plugin}"));
        var consumers = (await kubectl.SucceedAsync("get", "tollgateconsumers")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^slow-user\s+slow_user\s+\d+s$", consumers[1]);
    }

    [Theory]
    [InlineData("config: {}", "plugin: Required value")]
    [InlineData("plugin: Rate_Limiting", "plugin in body should match")]
    public async Task A_plugin_the_schema_refuses_is_rejected_with_the_field_named(string body, string message)
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync();
        using var kubectl = await StartAsync(server);
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, $"""
            apiVersion: tollgate.dev/v1alpha1
            kind: TollgatePlugin
            metadata:
              name: broken
            {body}
            """);

        var result = await kubectl.RunAsync("apply", "-f", file);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.Null(server.TryGet("tollgate.dev/v1alpha1", "TollgatePlugin", "default", "broken"));
    }
}
