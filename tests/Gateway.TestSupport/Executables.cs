namespace Gateway.TestSupport;

/// <summary>Finds programs the tests depend on, so a missing one fails with an install hint.</summary>
static class Executables
{
    // Debian puts daemons in sbin, which is often not on a non-root user's PATH.
    static readonly string[] ExtraDirectories = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>The full path of <paramref name="name"/> on PATH or in the usual system directories, or null.</summary>
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var directories = path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraDirectories);
        return directories
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Like <see cref="Find"/>, but throws a one-line message naming the Debian package when missing.</summary>
    public static string Require(string name, string debianPackage) =>
        Find(name) ?? throw new InvalidOperationException(
            $"{name} was not found; install it with: apt-get install {debianPackage}");
}
