using System.Net;
using StackExchange.Redis;

namespace Gateway.Proxy.RateLimits;

/// <summary>
/// Where a Redis server is and how to talk to it, with the timeout after which a command counts as failed.
/// Equal endpoints share one connection.
/// </summary>
public sealed record RedisEndpoint(string Host, int Port, string? Username, string? Password, int Database, bool Ssl, bool SslVerify,
    string? ServerName, int TimeoutMs, int ConnectTimeoutMs)
{
    /// <summary>Used when the connection string names no syncTimeout: short, so a stalled Redis is noticed within a second.</summary>
    public const int DefaultGatewayTimeoutMs = 1000;

    public const int DefaultConnectTimeoutMs = 1000;

    /// <summary>The node-wide Redis of GATEWAY_REDIS, a StackExchange.Redis connection string.</summary>
    public static (ConfigurationOptions Options, TimeSpan Timeout) FromConnectionString(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        if (!Mentions(connectionString, "syncTimeout")) options.SyncTimeout = DefaultGatewayTimeoutMs;
        if (!Mentions(connectionString, "connectTimeout")) options.ConnectTimeout = DefaultConnectTimeoutMs;
        options.AbortOnConnectFail = false;
        return (options, TimeSpan.FromMilliseconds(options.SyncTimeout));
    }

    public (ConfigurationOptions Options, TimeSpan Timeout) ToOptions()
    {
        var options = new ConfigurationOptions
        {
            User = Username,
            Password = Password,
            DefaultDatabase = Database,
            Ssl = Ssl,
            SslHost = ServerName,
            SyncTimeout = TimeoutMs,
            ConnectTimeout = ConnectTimeoutMs,
            AbortOnConnectFail = false,
        };
        options.EndPoints.Add(Host, Port);
        if (Ssl && !SslVerify) options.CertificateValidation += (_, _, _, _) => true;
        return (options, TimeSpan.FromMilliseconds(TimeoutMs));
    }

    /// <summary>The endpoints of a connection for logs and metrics (never the password).</summary>
    public static string Describe(ConfigurationOptions options)
    {
        var names = new List<string>();
        foreach (var endpoint in options.EndPoints)
        {
            names.Add(endpoint switch
            {
                DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
                _ => endpoint.ToString() ?? "",
            });
        }
        return string.Join(",", names);
    }

    /// <summary>Never shows the password.</summary>
    public override string ToString() => $"{Host}:{Port}/{Database}";

    private static bool Mentions(string connectionString, string option) =>
        connectionString.Contains(option + "=", StringComparison.OrdinalIgnoreCase);
}
