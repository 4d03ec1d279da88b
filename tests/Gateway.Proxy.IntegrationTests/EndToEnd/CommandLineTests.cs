using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.EndToEnd;

/// <summary>The process contract of the real executable: exit codes and one-line errors.</summary>
public class CommandLineTests(PostgresClassFixture postgres) : IClassFixture<PostgresClassFixture>
{
    private const string ValidConfig = """
        _format_version: "3.0"
        services:
        - name: a
          url: http://127.0.0.1:9
          routes:
          - paths: [/a]
        """;

    private const string BadRegexConfig = """
        _format_version: "3.0"
        services:
        - name: a
          url: http://127.0.0.1:9
          routes:
          - paths: ["~/a(["]
        """;

    [Fact]
    public async Task Migrate_on_a_fresh_database_succeeds_and_succeeds_again()
    {
        var env = new Dictionary<string, string?>
        {
            ["GATEWAY_DATABASE"] = "postgres",
            ["GATEWAY_PG_CONNECTION"] = await postgres.Server.CreateDatabaseAsync(),
        };
        var first = await GatewayExecutable.RunAsync(env, "migrate");
        Assert.True(first.ExitCode == 0, first.ToString());
        var second = await GatewayExecutable.RunAsync(env, "migrate");
        Assert.True(second.ExitCode == 0, second.ToString());
    }

    [Fact]
    public async Task Serve_on_an_unmigrated_database_exits_with_one_line_naming_migrate()
    {
        var env = Loopback.ServeEnvironment("postgres", await postgres.Server.CreateDatabaseAsync(),
            Loopback.FreeAddress(), Loopback.FreeAddress(), Loopback.FreeAddress(), Path.GetTempPath());
        var started = DateTime.UtcNow;
        var result = await GatewayExecutable.RunAsync(env, "serve");
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15), "serve took too long to refuse");
        var line = Assert.Single(Lines(result.Stderr));
        Assert.Contains("migrate", line);
    }

    [Fact]
    public async Task Config_validate_refuses_an_unknown_plugin_and_a_bad_plugin_config_in_one_line()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, """
                _format_version: "3.0"
                services:
                - name: api
                  url: http://127.0.0.1:9
                  plugins:
                  - name: request-size-limiting
                    config: {size_unit: gigabytes}
                """);
            var bad = await GatewayExecutable.RunAsync(new Dictionary<string, string?>(), "config", "validate", file);
            Assert.True(bad.ExitCode == 1, bad.ToString());
            var line = Assert.Single(Lines(bad.Stderr));
            Assert.Contains("size_unit", line);

            await File.WriteAllTextAsync(file, """
                _format_version: "3.0"
                plugins:
                - name: teleport
                """);
            var unknown = await GatewayExecutable.RunAsync(new Dictionary<string, string?>(), "config", "validate", file);
            Assert.True(unknown.ExitCode == 1, unknown.ToString());
            Assert.Contains("teleport", Assert.Single(Lines(unknown.Stderr)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Config_validate_accepts_a_valid_file_and_names_paths_for_a_bad_regex()
    {
        var valid = Path.GetTempFileName();
        var invalid = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(valid, ValidConfig);
            await File.WriteAllTextAsync(invalid, BadRegexConfig);
            var ok = await GatewayExecutable.RunAsync(new Dictionary<string, string?>(), "config", "validate", valid);
            Assert.True(ok.ExitCode == 0, ok.ToString());
            var bad = await GatewayExecutable.RunAsync(new Dictionary<string, string?>(), "config", "validate", invalid);
            Assert.True(bad.ExitCode == 1, bad.ToString());
            var line = Assert.Single(Lines(bad.Stderr));
            Assert.Contains("paths", line);
        }
        finally
        {
            File.Delete(valid);
            File.Delete(invalid);
        }
    }

    [Fact]
    public async Task Invalid_database_setting_exits_1_with_one_line_naming_the_variable()
    {
        var result = await GatewayExecutable.RunAsync(new Dictionary<string, string?> { ["GATEWAY_DATABASE"] = "mysql" }, "serve");
        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(Lines(result.Stderr));
        Assert.Contains("GATEWAY_DATABASE", line);
    }

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
