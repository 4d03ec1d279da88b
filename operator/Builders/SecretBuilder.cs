using Gateway.Operator.Entities;

namespace Gateway.Operator.Builders;

/// <summary>
/// Generated credentials. The values come from the caller (random once, at creation): these Secrets are
/// created when missing and never rewritten, so a credential is never rotated by accident.
/// </summary>
public static class SecretBuilder
{
    public const string PasswordKey = "password";

    public static V1Secret PostgresCredentials(ApiGateway gw, string password) => new()
    {
        Metadata = GatewayLabels.Metadata(gw, GatewayNames.Postgres(gw), Components.Postgres),
        Type = "Opaque",
        StringData = new Dictionary<string, string> { ["username"] = GatewayEnvironment.DatabaseUser, [PasswordKey] = password },
    };

    /// <summary>The managed Redis's password (its default user's <c>requirepass</c>).</summary>
    public static V1Secret RedisCredentials(ApiGateway gw, string password) => new()
    {
        Metadata = GatewayLabels.Metadata(gw, GatewayNames.Redis(gw), Components.Redis),
        Type = "Opaque",
        StringData = new Dictionary<string, string> { [PasswordKey] = password },
    };

    public static V1Secret AdminToken(ApiGateway gw, string token) => new()
    {
        Metadata = GatewayLabels.Metadata(gw, GatewayNames.AdminToken(gw), Components.Admin),
        Type = "Opaque",
        StringData = new Dictionary<string, string> { ["token"] = token },
    };

    /// <summary>A random credential safe inside a connection string (no ';', '=' or quotes).</summary>
    public static string NewCredential() =>
        Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
}
