using Gateway.Proxy.Declarative;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Settings;
using Gateway.Proxy.Store;
using Gateway.Proxy.Store.Postgres;

namespace Gateway.Proxy.Cli;

/// <summary>Declarative configuration files: validate offline, export from and import into the database.</summary>
public static class ConfigCommands
{
    public static int Validate(string file)
    {
        var result = Read(file, out var problem);
        if (result is null) return CommandLine.Fail(problem!);
        Console.WriteLine($"{file}: valid ({result.Config!.Count} entities)");
        return 0;
    }

    public static async Task<int> ExportAsync(GatewaySettings settings, string[] options)
    {
        var format = Option(options, "--format") ?? "yaml";
        if (format is not ("yaml" or "json")) return CommandLine.Fail("--format must be yaml or json");
        var store = await OpenStoreAsync(settings);
        var config = await store.LoadAllAsync(CancellationToken.None);
        var text = format == "json" ? DeclarativeExporter.ToJson(config) : DeclarativeExporter.ToYaml(config);
        if (Option(options, "--output") is { } output) await File.WriteAllTextAsync(output, text);
        else Console.Write(text);
        return 0;
    }

    public static async Task<int> ImportAsync(GatewaySettings settings, string file, string[] options)
    {
        var result = Read(file, out var problem);
        if (result is null) return CommandLine.Fail(problem!);
        if (options.Contains("--dry-run"))
        {
            Console.WriteLine($"{file}: valid ({result.Config!.Count} entities); nothing imported (dry run)");
            return 0;
        }
        var store = await OpenStoreAsync(settings);
        try
        {
            await store.ReplaceAllAsync(result.Config!, CancellationToken.None);
        }
        catch (StoreException e)
        {
            return CommandLine.Fail($"{file}: {e.Message}");
        }
        Console.WriteLine($"{file}: imported {result.Config!.Count} entities");
        return 0;
    }

    /// <summary>Reads and checks a declarative file; null with a one-line problem when it is not usable.</summary>
    public static DeclarativeResult? Read(string file, out string? problem)
    {
        problem = null;
        if (!File.Exists(file))
        {
            problem = $"{file}: no such file";
            return null;
        }
        var result = DeclarativeParser.Parse(File.ReadAllText(file));
        if (result.IsValid)
        {
            var plugins = PluginConfigCheck.CheckAll(result.Config!, PluginCatalog.Bundled);
            if (plugins.Count == 0) return result;
            problem = Problems(file, plugins);
            return null;
        }
        var position = result.Errors[0].Line is { } line ? $":{line}:{result.Errors[0].Column}" : "";
        problem = Problems(file + position, result.Errors);
        return null;
    }

    /// <summary>The first problem as one line (the rest counted there and printed below it on stderr).</summary>
    private static string Problems<T>(string where, IReadOnlyList<T> problems)
    {
        var more = problems.Count > 1 ? $" (and {problems.Count - 1} more)" : "";
        foreach (var other in problems.Skip(1)) Console.Error.WriteLine("  " + other);
        return $"{where}: invalid declarative configuration: {problems[0]}{more}";
    }

    private static async Task<IConfigStore> OpenStoreAsync(GatewaySettings settings)
    {
        if (settings.Database != DatabaseMode.Postgres)
            throw new SettingsException("this command needs a database; GATEWAY_DATABASE is 'off'");
        var status = await Migrator.CheckAsync(settings.PgConnection, CancellationToken.None);
        if (!status.IsCurrent) throw new SettingsException(status.Message);
        return new PostgresConfigStore(Npgsql.NpgsqlDataSource.Create(settings.PgConnection));
    }

    private static string? Option(string[] options, string name)
    {
        var index = Array.IndexOf(options, name);
        return index >= 0 && index + 1 < options.Length ? options[index + 1] : null;
    }
}
