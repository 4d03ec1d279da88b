using System.Text.Json.Nodes;

namespace Gateway.Adversarial.Generation;

/// <summary>
/// The configuration the Admin API harness loads before it attacks: one entity of every kind, with fixed ids and
/// names, so that generated paths such as <c>/services/{id}/routes</c> and <c>/consumers/alice/key-auth</c> reach
/// real parents and the requests are the same on every run.
/// </summary>
public static class AdminFixture
{
    public const string ServiceId = "5e4b1c3a-0000-4000-8000-000000000001";
    public const string RouteId = "5e4b1c3a-0000-4000-8000-000000000002";
    public const string UpstreamId = "5e4b1c3a-0000-4000-8000-000000000003";
    public const string TargetId = "5e4b1c3a-0000-4000-8000-000000000004";
    public const string ConsumerId = "5e4b1c3a-0000-4000-8000-000000000005";
    public const string KeyAuthId = "5e4b1c3a-0000-4000-8000-000000000006";
    public const string BasicAuthId = "5e4b1c3a-0000-4000-8000-000000000007";
    public const string JwtId = "5e4b1c3a-0000-4000-8000-000000000008";
    public const string AclId = "5e4b1c3a-0000-4000-8000-000000000009";
    public const string CertificateId = "5e4b1c3a-0000-4000-8000-00000000000a";
    public const string SniId = "5e4b1c3a-0000-4000-8000-00000000000b";
    public const string ServicePluginId = "5e4b1c3a-0000-4000-8000-00000000000c";
    public const string GlobalPluginId = "5e4b1c3a-0000-4000-8000-00000000000d";
    public const string CaCertificateId = "5e4b1c3a-0000-4000-8000-00000000000e";

    /// <summary>
    /// A throwaway self-signed certificate (CN=fixture.example, valid until 2126, a CA) used only by this harness: as the
    /// certificate of an SNI and as a CA certificate.
    /// </summary>
    public const string CertificatePem = """
        -----BEGIN CERTIFICATE-----
        MIIBizCCATGgAwIBAgIUMEvG8tr3hXpL/fo2P6Dp9vPXM50wCgYIKoZIzj0EAwIw
        GjEYMBYGA1UEAwwPZml4dHVyZS5leGFtcGxlMCAXDTI2MTIwNjIwMTAzOFoYDzIx
        MjYxMTEyMjAxMDM4WjAaMRgwFgYDVQQDDA9maXh0dXJlLmV4YW1wbGUwWTATBgcq
        hkjOPQIBBggqhkjOPQMBBwNCAASapzTcsvxhpkpR1uhZgE/wbxd8MXLTkv4wMMl1
        S8LSXiV4JLQ3jDsufrjKd1I2z3XyMCQnYvSbCNoFFiGlSRGMo1MwUTAdBgNVHQ4E
        FgQUbBbGTtrREKVQrkC3UZErbWcc6gcwHwYDVR0jBBgwFoAUbBbGTtrREKVQrkC3
        UZErbWcc6gcwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiB/YiZK
        /uJ7wLdePK50lrJHfVQIEs/o6WLo/2bpk/552QIhAKCPteupNRXO95lk3yCPv5B6
        1VPpyMtZryM4wMgxsA0X
        -----END CERTIFICATE-----
        """;

    /// <summary>The key of <see cref="CertificatePem"/>; it protects nothing.</summary>
    public const string KeyPem = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgafzTPEc0tfiLGqMB
        Eydh4vISw2KeFjMJX8l08VnCGEuhRANCAASapzTcsvxhpkpR1uhZgE/wbxd8MXLT
        kv4wMMl1S8LSXiV4JLQ3jDsufrjKd1I2z3XyMCQnYvSbCNoFFiGlSRGM
        -----END PRIVATE KEY-----
        """;

    /// <summary>Ids and endpoint keys of the fixture's entities, by Admin API collection: real targets for paths.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Keys = new Dictionary<string, string[]>
    {
        ["services"] = [ServiceId, "svc"],
        ["routes"] = [RouteId, "rt"],
        ["upstreams"] = [UpstreamId, "up"],
        ["targets"] = [TargetId, "127.0.0.1:9"],
        ["consumers"] = [ConsumerId, "alice"],
        ["key-auths"] = [KeyAuthId],
        ["basic-auths"] = [BasicAuthId, "alice-basic"],
        ["jwts"] = [JwtId, "alice-iss"],
        ["acls"] = [AclId],
        ["certificates"] = [CertificateId],
        ["snis"] = [SniId, "fixture.example"],
        ["ca_certificates"] = [CaCertificateId],
        ["plugins"] = [ServicePluginId, GlobalPluginId],
    };

    /// <summary>The declarative document (Kong's format 3.0) as JSON.</summary>
    public static JsonObject Document() => new()
    {
        ["_format_version"] = "3.0",
        ["services"] = new JsonArray(new JsonObject
        {
            ["id"] = ServiceId,
            ["name"] = "svc",
            ["url"] = "http://127.0.0.1:9/base",
            ["routes"] = new JsonArray(new JsonObject { ["id"] = RouteId, ["name"] = "rt", ["paths"] = new JsonArray("/rt") }),
            ["plugins"] = new JsonArray(new JsonObject
            {
                ["id"] = ServicePluginId,
                ["name"] = "rate-limiting",
                ["config"] = new JsonObject { ["minute"] = 1000, ["policy"] = "local" },
            }),
        }),
        ["upstreams"] = new JsonArray(new JsonObject
        {
            ["id"] = UpstreamId,
            ["name"] = "up",
            ["targets"] = new JsonArray(new JsonObject { ["id"] = TargetId, ["target"] = "127.0.0.1:9" }),
        }),
        ["consumers"] = new JsonArray(new JsonObject
        {
            ["id"] = ConsumerId,
            ["username"] = "alice",
            ["custom_id"] = "alice-1",
            ["keyauth_credentials"] = new JsonArray(new JsonObject { ["id"] = KeyAuthId, ["key"] = "alice-key" }),
            ["basicauth_credentials"] = new JsonArray(new JsonObject { ["id"] = BasicAuthId, ["username"] = "alice-basic", ["password"] = "alice-password" }),
            ["jwt_secrets"] = new JsonArray(new JsonObject { ["id"] = JwtId, ["key"] = "alice-iss", ["secret"] = "alice-jwt-secret" }),
            ["acls"] = new JsonArray(new JsonObject { ["id"] = AclId, ["group"] = "admins" }),
        }),
        ["certificates"] = new JsonArray(new JsonObject
        {
            ["id"] = CertificateId,
            ["cert"] = CertificatePem,
            ["key"] = KeyPem,
            ["snis"] = new JsonArray(new JsonObject { ["id"] = SniId, ["name"] = "fixture.example" }),
        }),
        ["ca_certificates"] = new JsonArray(new JsonObject { ["id"] = CaCertificateId, ["cert"] = CertificatePem }),
        ["plugins"] = new JsonArray(new JsonObject { ["id"] = GlobalPluginId, ["name"] = "correlation-id" }),
    };
}
