using System.Globalization;
using System.Reflection;

namespace Gateway.Proxy.Store.Postgres;

/// <summary>One schema migration: an embedded SQL file named <c>NNNN_name.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    private const string ResourcePrefix = "Gateway.Proxy.Store.Postgres.Migrations.";

    /// <summary>"0001_initial", as in schema_migrations and in messages.</summary>
    public string Id => Version.ToString("D4", CultureInfo.InvariantCulture) + "_" + Name;

    /// <summary>Every migration this build carries, in version order.</summary>
    public static IReadOnlyList<Migration> All { get; } = LoadEmbedded();

    /// <summary>The schema version this build needs.</summary>
    public static int Latest => All.Count == 0 ? 0 : All[^1].Version;

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(Migration).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
                continue;
            var fileName = resource[ResourcePrefix.Length..^".sql".Length];
            migrations.Add(new Migration(ParseVersion(fileName), fileName[(fileName.IndexOf('_') + 1)..], Read(assembly, resource)));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
                throw new InvalidOperationException($"two migrations share version {migrations[i].Version}");
        }
        return migrations;
    }

    private static int ParseVersion(string fileName)
    {
        var underscore = fileName.IndexOf('_');
        if (underscore <= 0 || !int.TryParse(fileName.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            throw new InvalidOperationException($"migration '{fileName}.sql' is not named NNNN_name.sql");
        return version;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
