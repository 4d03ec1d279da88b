namespace Gateway.Proxy.Settings;

public enum DatabaseMode { Postgres, Off }

/// <summary>
/// The process settings, all from GATEWAY_* environment variables (see the README's configuration
/// reference). Parsing is strict: a bad value stops the process with one line naming the variable.
/// </summary>
public sealed record GatewaySettings
{
    public const long DefaultAdminBodyLimit = 10 * 1024 * 1024;

    /// <summary>
    /// No password is built in (Kong's pg_password is unset too): Npgsql then takes it from PGPASSWORD or the
    /// password file (PGPASSFILE, ~/.pgpass), or the server trusts the connection.
    /// </summary>
    public const string DefaultPgConnection = "Host=127.0.0.1;Port=5432;Username=tollgate;Database=tollgate";

    public DatabaseMode Database { get; init; } = DatabaseMode.Postgres;
    public string PgConnection { get; init; } = DefaultPgConnection;
    public string? DeclarativeConfig { get; init; }
    public string? Redis { get; init; }

    /// <summary>The first address of GATEWAY_PROXY_LISTEN: the cleartext proxy listener.</summary>
    public ListenAddress? ProxyListen { get; init; } = ListenAddress.Parse("GATEWAY_PROXY_LISTEN", "0.0.0.0:8000");

    /// <summary>The further addresses of GATEWAY_PROXY_LISTEN, which lists several as Kong's proxy_listen does.</summary>
    public IReadOnlyList<ListenAddress> MoreProxyListens { get; init; } = [];

    public ListenAddress? ProxyTlsListen { get; init; }
    public ListenAddress? AdminListen { get; init; } = ListenAddress.Parse("GATEWAY_ADMIN_LISTEN", "127.0.0.1:8001");
    public ListenAddress? StatusListen { get; init; } = ListenAddress.Parse("GATEWAY_STATUS_LISTEN", "0.0.0.0:8100");
    public string? AdminToken { get; init; }

    /// <summary>Web origins (normalised "scheme://host[:port]") whose pages may call the Admin API through CORS.</summary>
    public IReadOnlyList<string> AdminGuiOrigins { get; init; } = [];

    /// <summary>The largest request body the Admin API reads, in bytes (Kong's Admin API default: 10m).</summary>
    public long AdminBodyLimit { get; init; } = DefaultAdminBodyLimit;

    /// <summary>PEM files of the certificate the admin listener serves; without them it speaks plain HTTP.</summary>
    public string? AdminTlsCert { get; init; }

    public string? AdminTlsKey { get; init; }

    /// <summary>PEM files of the certificate served on the TLS listener when no configured SNI matches.</summary>
    public string? ProxyTlsCert { get; init; }

    public string? ProxyTlsKey { get; init; }
    public string CacheDir { get; init; } = DefaultCacheDir(Environment.GetEnvironmentVariable);

    /// <summary>Proxies whose X-Forwarded-For is believed when plugins ask for the client address (Kong's trusted_ips).</summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>The most bytes of a request or response body a plugin reads into memory; longer bodies stream past it.</summary>
    public int PluginBodyBuffer { get; init; } = PluginEngine.PluginServices.DefaultBodyBufferSize;

    public static GatewaySettings FromEnvironment() => FromVariables(name => Environment.GetEnvironmentVariable(name));

    public static GatewaySettings FromVariables(Func<string, string?> get)
    {
        var defaults = new GatewaySettings();
        var proxyListens = ProxyListens(get("GATEWAY_PROXY_LISTEN"), defaults.ProxyListen);
        var settings = defaults with
        {
            Database = ParseDatabase(get("GATEWAY_DATABASE")),
            PgConnection = NonEmpty(get("GATEWAY_PG_CONNECTION")) ?? defaults.PgConnection,
            DeclarativeConfig = NonEmpty(get("GATEWAY_DECLARATIVE_CONFIG")),
            Redis = NonEmpty(get("GATEWAY_REDIS")),
            ProxyListen = proxyListens.Length == 0 ? null : proxyListens[0],
            MoreProxyListens = proxyListens.Length < 2 ? [] : proxyListens[1..],
            ProxyTlsListen = Listen(get, "GATEWAY_PROXY_TLS_LISTEN", null),
            AdminListen = Listen(get, "GATEWAY_ADMIN_LISTEN", defaults.AdminListen),
            StatusListen = Listen(get, "GATEWAY_STATUS_LISTEN", defaults.StatusListen),
            AdminToken = NonEmpty(get("GATEWAY_ADMIN_TOKEN")),
            AdminGuiOrigins = WebOrigins.Parse("GATEWAY_ADMIN_GUI_ORIGINS", NonEmpty(get("GATEWAY_ADMIN_GUI_ORIGINS"))),
            AdminBodyLimit = ByteSize.Parse("GATEWAY_ADMIN_BODY_LIMIT", NonEmpty(get("GATEWAY_ADMIN_BODY_LIMIT"))) ?? defaults.AdminBodyLimit,
            AdminTlsCert = NonEmpty(get("GATEWAY_ADMIN_TLS_CERT")),
            AdminTlsKey = NonEmpty(get("GATEWAY_ADMIN_TLS_KEY")),
            ProxyTlsCert = NonEmpty(get("GATEWAY_PROXY_TLS_CERT")),
            ProxyTlsKey = NonEmpty(get("GATEWAY_PROXY_TLS_KEY")),
            CacheDir = NonEmpty(get("GATEWAY_CACHE_DIR")) ?? DefaultCacheDir(get),
            TrustedProxies = Networks("GATEWAY_TRUSTED_IPS", get("GATEWAY_TRUSTED_IPS")),
            PluginBodyBuffer = (int?)ByteSize.Parse("GATEWAY_PLUGIN_BODY_BUFFER", NonEmpty(get("GATEWAY_PLUGIN_BODY_BUFFER")), 1L << 30)
                               ?? defaults.PluginBodyBuffer,
        };
        settings.Check();
        return settings;
    }

    /// <summary>Rules that involve several settings.</summary>
    public void Check()
    {
        if (AdminListen is { IsLoopback: false } && AdminToken is null)
            throw new SettingsException(
                $"GATEWAY_ADMIN_TOKEN is required when the Admin API listens beyond loopback (GATEWAY_ADMIN_LISTEN={AdminListen})");
        if (Database == DatabaseMode.Off && DeclarativeConfig is not null && !File.Exists(DeclarativeConfig))
            throw new SettingsException($"GATEWAY_DECLARATIVE_CONFIG names a file that does not exist: {DeclarativeConfig}");
        CheckPemPair("GATEWAY_PROXY_TLS_CERT", ProxyTlsCert, "GATEWAY_PROXY_TLS_KEY", ProxyTlsKey);
        CheckPemPair("GATEWAY_ADMIN_TLS_CERT", AdminTlsCert, "GATEWAY_ADMIN_TLS_KEY", AdminTlsKey);
        var ports = new[] { ProxyListen, ProxyTlsListen, AdminListen, StatusListen }.Concat(MoreProxyListens)
            .Where(l => l is not null && l.Port != 0).Select(l => l!.Port).ToList();
        if (ports.Count != ports.Distinct().Count())
            throw new SettingsException("the proxy, TLS, admin and status listeners must use different ports");
    }

    /// <summary>
    /// The user's own state directory (the XDG base directory rules: $XDG_STATE_HOME, else ~/.local/state),
    /// never a directory other users share. Only without a home does it fall back to the temporary directory,
    /// where the cache still refuses a directory it does not own or that others can enter.
    /// </summary>
    public static string DefaultCacheDir(Func<string, string?> get)
    {
        if (NonEmpty(get("XDG_STATE_HOME")) is { } state && Path.IsPathRooted(state)) return Path.Combine(state, "tollgate");
        if (NonEmpty(get("HOME")) is { } home && Path.IsPathRooted(home)) return Path.Combine(home, ".local", "state", "tollgate");
        return Path.Combine(Path.GetTempPath(), "tollgate-cache");
    }

    /// <summary>A certificate and its key: both or neither, and files that exist.</summary>
    private static void CheckPemPair(string certName, string? cert, string keyName, string? key)
    {
        if ((cert is null) != (key is null)) throw new SettingsException($"{certName} and {keyName} must be set together");
        foreach (var (name, file) in new[] { (certName, cert), (keyName, key) })
            if (file is not null && !File.Exists(file)) throw new SettingsException($"{name} names a file that does not exist: {file}");
    }

    private static DatabaseMode ParseDatabase(string? value) => NonEmpty(value)?.ToLowerInvariant() switch
    {
        null or "postgres" => DatabaseMode.Postgres,
        "off" => DatabaseMode.Off,
        _ => throw new SettingsException($"GATEWAY_DATABASE must be 'postgres' or 'off' (got '{value}')"),
    };

    // "off" disables a listener, as in Kong.
    private static ListenAddress? Listen(Func<string, string?> get, string name, ListenAddress? fallback)
    {
        var value = NonEmpty(get(name));
        if (value is null) return fallback;
        return value.Equals("off", StringComparison.OrdinalIgnoreCase) ? null : ListenAddress.Parse(name, value);
    }

    /// <summary>
    /// Kong's proxy_listen: addresses separated by commas, each "host:port" with an optional "http2" flag
    /// ("0.0.0.0:8000, 0.0.0.0:9080 http2"), or "off".
    /// </summary>
    private static ListenAddress[] ProxyListens(string? value, ListenAddress? fallback)
    {
        const string name = "GATEWAY_PROXY_LISTEN";
        var text = NonEmpty(value);
        if (text is null) return fallback is null ? [] : [fallback];
        if (text.Equals("off", StringComparison.OrdinalIgnoreCase)) return [];
        return Array.ConvertAll(text.Split(',', StringSplitOptions.TrimEntries), part => ListenAddress.Parse(name, part, acceptsHttp2: true));
    }

    /// <summary>A comma-separated list of addresses and CIDR blocks ("10.0.0.0/8, 192.168.1.7, ::1").</summary>
    private static IReadOnlyList<System.Net.IPNetwork> Networks(string name, string? value)
    {
        var networks = new List<System.Net.IPNetwork>();
        foreach (var part in (NonEmpty(value) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Networking.IpNetworks.TryParse(part, out var network)) networks.Add(network);
            else throw new SettingsException($"{name} must list IP addresses or CIDR blocks separated by commas (got '{part}')");
        }
        return networks;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
