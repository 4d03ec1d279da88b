using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Gateway.TestSupport;

namespace Gateway.Operator.Tests.Images;

/// <summary>
/// Runs the <c>dotnet publish</c> step of a Dockerfile's build stage, as the image build would (from the
/// repository root, which is the build context), into a temporary directory. No Docker engine is needed.
/// Each Dockerfile is published once per test run and shared.
/// </summary>
static partial class DockerfileBuild
{
    static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Published = new();

    [GeneratedRegex(@"^RUN\s+dotnet publish\s+(?<args>.+)$", RegexOptions.Multiline)]
    private static partial Regex PublishStep();

    public static string Dockerfile(string name) => File.ReadAllText(RepositoryRoot.Combine(name));

    /// <summary>The directory the image's final stage would copy (the Dockerfile's "-o /out").</summary>
    public static Task<string> PublishAsync(string dockerfile) =>
        Published.GetOrAdd(dockerfile, name => new Lazy<Task<string>>(() => RunPublishAsync(name))).Value;

    static async Task<string> RunPublishAsync(string dockerfile)
    {
        var step = PublishStep().Match(Dockerfile(dockerfile));
        Assert.True(step.Success, $"{dockerfile} has no 'RUN dotnet publish' step");
        var args = step.Groups["args"].Value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var output = Directory.CreateTempSubdirectory("tollgate-image-").FullName;
        var at = args.IndexOf("-o");
        Assert.True(at >= 0 && args[at + 1] == "/out", $"{dockerfile} publishes to {(at >= 0 ? args[at + 1] : "nowhere")}, the final stage copies /out");
        args[at + 1] = Path.Combine(output, "out");
        var env = new Dictionary<string, string?>
        {
            // Separate build output, so this publish never races the test run's own build folders.
            ["TOLLGATE_ARTIFACTS"] = Path.Combine(output, "artifacts"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        // The build stage runs in a copy of the repository root; paths in the step are relative to it.
        args = args.Select(a => a.EndsWith(".csproj", StringComparison.Ordinal) ? RepositoryRoot.Combine(a) : a).ToList();
        var result = await ProcessRunner.RunAsync("dotnet", ["publish", .. args, "--nologo", "-v", "quiet"], env, TimeSpan.FromMinutes(8));
        Assert.True(result.ExitCode == 0, $"dotnet publish for {dockerfile} failed: {result}");
        return Path.Combine(output, "out");
    }
}
