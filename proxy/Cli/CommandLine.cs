using Gateway.Proxy.Settings;
using Gateway.Proxy.Store.Postgres;

namespace Gateway.Proxy.Cli;

/// <summary>
/// The process contract: <c>serve</c> (default), <c>migrate</c>, <c>config validate|export|import</c>, <c>demo</c>.
/// Every failure the operator can fix ends with one line on stderr and a non-zero exit code.
/// </summary>
public static class CommandLine
{
    public const string Usage = """
        usage: Gateway.Proxy [command]
          serve                          run the gateway (default)
          migrate                        apply pending database schema migrations
          config validate FILE           check a declarative configuration file
          config export [--format yaml|json] [--output FILE]
                                         write the database configuration as a declarative file
          config import FILE [--dry-run] replace the database configuration with a declarative file
          demo                           run locally with a sample configuration and two sample upstreams
          version                        print the version
        settings come from GATEWAY_* environment variables; see the README
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return args switch
            {
                [] or ["serve"] => await ServeCommand.RunAsync(GatewaySettings.FromEnvironment()),
                ["migrate"] => await MigrateCommand.RunAsync(GatewaySettings.FromEnvironment()),
                ["config", "validate", var file] => ConfigCommands.Validate(file),
                ["config", "export", .. var rest] => await ConfigCommands.ExportAsync(GatewaySettings.FromEnvironment(), rest),
                ["config", "import", var file, .. var rest] => await ConfigCommands.ImportAsync(GatewaySettings.FromEnvironment(), file, rest),
                ["demo"] => await DemoCommand.RunAsync(),
                ["version" or "--version"] => Print("tollgate " + typeof(CommandLine).Assembly.GetName().Version!.ToString(3)),
                ["help" or "--help" or "-h"] => Print(Usage),
                _ => Fail("unknown command '" + string.Join(' ', args) + "'; run 'Gateway.Proxy help' for the list"),
            };
        }
        catch (SettingsException e)
        {
            return Fail(e.Message);
        }
        catch (MigrationException e)
        {
            return Fail(e.Message);
        }
        catch (Npgsql.NpgsqlException e)
        {
            return Fail("cannot reach the database: " + e.Message);
        }
    }

    public static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 1;
    }

    private static int Print(string text)
    {
        Console.WriteLine(text);
        return 0;
    }
}
