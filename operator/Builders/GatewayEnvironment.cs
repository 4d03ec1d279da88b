using Gateway.Operator.Entities;

namespace Gateway.Operator.Builders;

/// <summary>
/// The proxy's process contract as environment variables: where the database and Redis are, where each
/// listener binds, the admin token. Shared by the proxy Deployment and the migration Job.
/// </summary>
public static class GatewayEnvironment
{
    public const int ProxyPort = 8000;
    public const int ProxyTlsPort = 8443;
    public const int AdminPort = 8001;
    public const int StatusPort = 8100;
    public const int PostgresPort = 5432;
    public const int RedisPort = 6379;
    /// <summary>Where the proxy's emptyDir volume is mounted.</summary>
    public const string CacheVolume = "/var/cache/tollgate";

    /// <summary>
    /// The cache itself: a directory the proxy creates (0700) inside the volume. The proxy refuses a cache
    /// directory that other users can enter or that it does not own, and an emptyDir's root is both.
    /// </summary>
    public const string CacheDirectory = CacheVolume + "/config";
    public const string DatabaseUser = "tollgate";
    public const string DatabaseName = "tollgate";
    const string PasswordVariable = "TOLLGATE_PG_PASSWORD";
    const string RedisPasswordVariable = "TOLLGATE_REDIS_PASSWORD";

    /// <summary>GATEWAY_DATABASE and GATEWAY_PG_CONNECTION (with the password kept in its Secret).</summary>
    public static List<V1EnvVar> Database(ApiGateway gw)
    {
        if (gw.Spec.Database.Mode == DatabaseMode.External)
        {
            var reference = gw.Spec.Database.External!.ConnectionSecretRef;
            return
            [
                Value("GATEWAY_DATABASE", "postgres"),
                FromSecret("GATEWAY_PG_CONNECTION", reference.Name, reference.Key ?? "connection"),
            ];
        }
        // Kubernetes expands $(VAR) from variables defined earlier in the list.
        var host = $"{GatewayNames.Postgres(gw)}.{gw.Metadata.NamespaceProperty}.svc";
        return
        [
            Value("GATEWAY_DATABASE", "postgres"),
            FromSecret(PasswordVariable, GatewayNames.Postgres(gw), SecretBuilder.PasswordKey),
            Value("GATEWAY_PG_CONNECTION", $"Host={host};Port={PostgresPort};Username={DatabaseUser};Password=$({PasswordVariable});Database={DatabaseName}"),
        ];
    }

    /// <summary>Where the proxy's TLS Secret is mounted.</summary>
    public const string TlsDirectory = "/etc/tollgate/tls";

    /// <summary>Everything <c>serve</c> needs.</summary>
    public static List<V1EnvVar> Proxy(ApiGateway gw)
    {
        var env = Database(gw);
        switch (gw.Spec.Redis.Mode)
        {
            case RedisMode.Managed:
                env.Add(FromSecret(RedisPasswordVariable, GatewayNames.Redis(gw), SecretBuilder.PasswordKey));
                env.Add(Value("GATEWAY_REDIS", $"{GatewayNames.Redis(gw)}.{gw.Metadata.NamespaceProperty}.svc:{RedisPort},password=$({RedisPasswordVariable})"));
                break;
            case RedisMode.External:
                var reference = gw.Spec.Redis.External!.ConnectionSecretRef;
                env.Add(FromSecret("GATEWAY_REDIS", reference.Name, reference.Key ?? "connection"));
                break;
        }
        env.Add(Value("GATEWAY_PROXY_LISTEN", $"0.0.0.0:{ProxyPort}"));
        if (gw.Spec.Proxy.Tls is not null)
        {
            env.Add(Value("GATEWAY_PROXY_TLS_LISTEN", $"0.0.0.0:{ProxyTlsPort}"));
            // A kubernetes.io/tls Secret, mounted: the certificate served when no configured SNI matches.
            env.Add(Value("GATEWAY_PROXY_TLS_CERT", TlsDirectory + "/tls.crt"));
            env.Add(Value("GATEWAY_PROXY_TLS_KEY", TlsDirectory + "/tls.key"));
        }
        // The admin Service reaches the Admin API only when it listens beyond loopback, which the proxy
        // allows only with a token.
        env.Add(Value("GATEWAY_ADMIN_LISTEN", $"0.0.0.0:{AdminPort}"));
        var token = AdminTokenSecret(gw);
        env.Add(FromSecret("GATEWAY_ADMIN_TOKEN", token.Name, token.Key!));
        env.Add(Value("GATEWAY_STATUS_LISTEN", $"0.0.0.0:{StatusPort}"));
        env.Add(Value("GATEWAY_CACHE_DIR", CacheDirectory));
        return env;
    }

    /// <summary>The Secret and key holding the admin token: the user's, or the one the operator generates.</summary>
    public static SecretKeyReference AdminTokenSecret(ApiGateway gw) =>
        gw.Spec.AdminTokenSecretRef is { } reference
            ? new() { Name = reference.Name, Key = reference.Key ?? "token" }
            : new() { Name = GatewayNames.AdminToken(gw), Key = "token" };

    static V1EnvVar Value(string name, string value) => new() { Name = name, Value = value };

    static V1EnvVar FromSecret(string name, string secret, string key) =>
        new() { Name = name, ValueFrom = new() { SecretKeyRef = new() { Name = secret, Key = key } } };
}
