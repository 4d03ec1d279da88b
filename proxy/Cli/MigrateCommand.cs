using Gateway.Proxy.Settings;
using Gateway.Proxy.Store.Postgres;

namespace Gateway.Proxy.Cli;

/// <summary>Applies pending migrations; safe to run repeatedly and concurrently (what the migration Job runs).</summary>
public static class MigrateCommand
{
    public static async Task<int> RunAsync(GatewaySettings settings)
    {
        if (settings.Database != DatabaseMode.Postgres)
            return CommandLine.Fail("migrate needs a database; GATEWAY_DATABASE is 'off'");
        try
        {
            var result = await Migrator.MigrateAsync(settings.PgConnection, CancellationToken.None);
            Console.WriteLine(result.Message);
            return 0;
        }
        catch (Npgsql.NpgsqlException e)
        {
            return CommandLine.Fail("cannot reach the database: " + e.Message);
        }
    }
}
