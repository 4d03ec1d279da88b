using Gateway.Proxy.Settings;

namespace Gateway.Proxy.Tests.Settings;

/// <summary>Defaults that decide where secrets end up: no built-in database password, a cache only the user can reach.</summary>
public class SecretDefaultsTests
{
    private static GatewaySettings From(Dictionary<string, string> variables) =>
        GatewaySettings.FromVariables(name => variables.GetValueOrDefault(name));

    [Fact]
    public void Without_GATEWAY_PG_CONNECTION_no_password_is_sent_so_Npgsql_looks_in_PGPASSWORD_and_pgpass()
    {
        var settings = From(new() { ["GATEWAY_DATABASE"] = "postgres" });

        var connection = new Npgsql.NpgsqlConnectionStringBuilder(settings.PgConnection);
        Assert.Null(connection.Password);
        Assert.Equal(("127.0.0.1", 5432, "tollgate", "tollgate"), (connection.Host, connection.Port, connection.Username, connection.Database));
    }

    [Fact]
    public void The_cache_defaults_to_the_users_state_directory()
    {
        Assert.Equal("/home/ann/.state/tollgate",
            From(new() { ["XDG_STATE_HOME"] = "/home/ann/.state", ["HOME"] = "/home/ann" }).CacheDir);
        Assert.Equal("/home/ann/.local/state/tollgate", From(new() { ["HOME"] = "/home/ann" }).CacheDir);
        // The XDG rules ignore a relative XDG_STATE_HOME.
        Assert.Equal("/home/ann/.local/state/tollgate", From(new() { ["XDG_STATE_HOME"] = "state", ["HOME"] = "/home/ann" }).CacheDir);
        Assert.Equal(Path.Combine(Path.GetTempPath(), "tollgate-cache"), From(new()).CacheDir);
        Assert.Equal("/var/cache/tollgate/config",
            From(new() { ["GATEWAY_CACHE_DIR"] = "/var/cache/tollgate/config", ["HOME"] = "/home/ann" }).CacheDir);
    }
}
