using System.Diagnostics;

namespace Gateway.TestSupport;

/// <summary>Locates the PostgreSQL server programs (initdb, pg_ctl), which Debian keeps out of PATH.</summary>
static class PostgresBinaries
{
    const string InstallHint =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found; install them with: apt-get install postgresql";

    static readonly Lazy<string> BinDirectory = new(FindDirectory);

    public static string InitDb => Path.Combine(BinDirectory.Value, "initdb");

    public static string PgCtl => Path.Combine(BinDirectory.Value, "pg_ctl");

    static string FindDirectory()
    {
        var candidates = FromPgConfig().Concat(FromDebianLayout());
        return candidates.FirstOrDefault(HasServerPrograms)
            ?? throw new InvalidOperationException(InstallHint);
    }

    static bool HasServerPrograms(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

    // pg_config may come from libpq-dev without the server, so its answer is only a candidate.
    // Run synchronously: blocking on an async call here could starve a test framework's
    // limited synchronization context.
    static IEnumerable<string> FromPgConfig()
    {
        var pgConfig = Executables.Find("pg_config");
        if (pgConfig is null)
            yield break;
        var startInfo = new ProcessStartInfo(pgConfig, "--bindir") { RedirectStandardOutput = true };
        using var process = Process.Start(startInfo);
        if (process is null)
            yield break;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        if (process.ExitCode == 0)
            yield return output;
    }

    // /usr/lib/postgresql/<major>/bin, newest major version first.
    static IEnumerable<string> FromDebianLayout()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
            return [];
        return Directory.GetDirectories(root)
            .OrderByDescending(MajorVersion)
            .Select(versionDirectory => Path.Combine(versionDirectory, "bin"));
    }

    static int MajorVersion(string versionDirectory) =>
        int.TryParse(Path.GetFileName(versionDirectory), out var version) ? version : 0;
}
