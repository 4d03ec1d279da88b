using System.Text.RegularExpressions;
using Gateway.TestSupport;

namespace Gateway.Operator.Tests.Images;

/// <summary>
/// The two images, checked without Docker: their publish steps run and produce programs that start, and
/// the Dockerfiles are multi-stage, run as a non-root user and need no writable root filesystem.
/// </summary>
public class ImageTests
{
    [Theory]
    [InlineData("Dockerfile.operator", "Gateway.Operator.dll", "tollgate-operator 0.1.0")]
    [InlineData("Dockerfile.proxy", "Gateway.Proxy.dll", "tollgate 0.1.0")]
    public async Task The_publish_step_produces_the_program_the_entrypoint_runs(string dockerfile, string entrypoint, string version)
    {
        var text = DockerfileBuild.Dockerfile(dockerfile);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{entrypoint}\"]", text);

        var output = await DockerfileBuild.PublishAsync(dockerfile);

        Assert.True(File.Exists(Path.Combine(output, entrypoint)), $"{entrypoint} is not in the published output");
        var run = await ProcessRunner.RunAsync("dotnet", [Path.Combine(output, entrypoint), "version"], new Dictionary<string, string?> { ["DOTNET_EnableDiagnostics"] = "0" });
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(version, run.Stdout.Trim());
    }

    [Theory]
    [InlineData("Dockerfile.operator")]
    [InlineData("Dockerfile.proxy")]
    public void The_image_is_multi_stage_non_root_and_read_only_friendly(string dockerfile)
    {
        var text = DockerfileBuild.Dockerfile(dockerfile);
        var stages = Regex.Matches(text, @"^FROM\s+(\S+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, stages.Count);
        Assert.Contains("/sdk:", stages[0]);
        Assert.DoesNotContain("/sdk:", stages[1]);
        Assert.Contains("COPY --from=build /out .", text);

        var user = Regex.Match(text, @"^USER\s+(\d+)(:\d+)?\s*$", RegexOptions.Multiline);
        Assert.True(user.Success && user.Groups[1].Value != "0", $"{dockerfile} must switch to a numeric non-root user");
        // The diagnostics IPC socket is the runtime's only write outside the volumes it is given.
        Assert.Contains("DOTNET_EnableDiagnostics=0", text);
    }

    [Fact]
    public void The_proxy_image_keeps_its_cache_where_the_operator_mounts_a_volume()
    {
        var text = DockerfileBuild.Dockerfile("Dockerfile.proxy");
        Assert.Contains($"GATEWAY_CACHE_DIR={Gateway.Operator.Builders.GatewayEnvironment.CacheDirectory}", text);
    }
}
