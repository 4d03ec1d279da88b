using Gateway.Operator.Manifests;

namespace Gateway.Operator.Tests.Manifests;

/// <summary>config/ must be exactly what the generator writes from the current C# types.</summary>
public class GeneratedManifestsTests
{
    const string Regenerate = "regenerate with: dotnet run --project operator -- manifests config";
    static readonly string[] GeneratedFolders = ["crd", "rbac", "manager", "default"];

    [Fact]
    public void Committed_manifests_match_the_generator()
    {
        var generated = OperatorManifests.Files();
        foreach (var (path, content) in generated)
        {
            var file = RepositoryRoot.Combine("config", path);
            Assert.True(File.Exists(file), $"config/{path} is missing; {Regenerate}");
            Assert.True(File.ReadAllText(file) == content, $"config/{path} differs from the C# types; {Regenerate}");
        }
    }

    [Fact]
    public void Generated_folders_hold_no_stale_files()
    {
        var generated = OperatorManifests.Files().Keys.ToHashSet();
        var configRoot = RepositoryRoot.Combine("config");
        var stale = GeneratedFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(configRoot, folder), "*", SearchOption.AllDirectories))
            .Select(file => Path.GetRelativePath(configRoot, file).Replace('\\', '/'))
            .Where(path => !generated.Contains(path))
            .ToList();
        Assert.True(stale.Count == 0, $"files no longer generated: {string.Join(", ", stale)}; delete them");
    }

    [Fact]
    public async Task Writing_the_manifests_reproduces_config_byte_for_byte()
    {
        var output = Directory.CreateTempSubdirectory("tollgate-manifests-").FullName;
        try
        {
            var exit = await OperatorCommandLine.RunAsync(["manifests", output]);
            Assert.Equal(0, exit);
            foreach (var file in Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(output, file);
                Assert.Equal(File.ReadAllText(RepositoryRoot.Combine("config", relative)), File.ReadAllText(file));
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
