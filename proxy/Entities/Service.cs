using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Entities;

[Description("An upstream API the gateway forwards matched requests to.")]
public sealed record Service : Entity, IEntityRules
{
    [Unique, CheckedBy(typeof(Names), nameof(Names.CheckName))]
    public string? Name { get; init; }

    [Between(0, 32767), Description("How many times a failed connection is retried, each time on the next target.")]
    public int Retries { get; init; } = 5;

    [OneOf("http", "https", "grpc", "grpcs", "ws", "wss")]
    public string Protocol { get; init; } = "http";

    [Required, CheckedBy(typeof(Names), nameof(Names.CheckHost)), Description("A hostname, an IP address or the name of an upstream.")]
    public string? Host { get; init; }

    [Between(0, 65535)]
    public int Port { get; init; } = 80;

    [CheckedBy(typeof(Names), nameof(Names.CheckServicePath)), Description("Prefix added to the upstream request path.")]
    public string? Path { get; init; }

    [Between(1, 2147483646), Description("Milliseconds allowed to open a connection to the upstream.")]
    public int ConnectTimeout { get; init; } = 60000;

    [Between(1, 2147483646), Description("Milliseconds allowed between two successive writes to the upstream.")]
    public int WriteTimeout { get; init; } = 60000;

    [Between(1, 2147483646), Description("Milliseconds allowed between two successive reads from the upstream.")]
    public int ReadTimeout { get; init; } = 60000;

    [References("certificates", Nests = false),
     Description("Certificate (and key) presented to the upstream when it asks for one (mutual TLS).")]
    public EntityRef? ClientCertificate { get; init; }

    [Description("Verify the upstream's TLS certificate and name. Unset: not verified.")]
    public bool? TlsVerify { get; init; }

    [Between(0, 64), Description("How many intermediate certificates the upstream's chain may have when verified. Unset: 1, as nginx (and so Kong) defaults.")]
    public int? TlsVerifyDepth { get; init; }

    [References("ca_certificates"),
     Description("Ids of the CA certificates trusted when verifying the upstream's certificate. Unset: the system's trust store.")]
    public Guid[]? CaCertificates { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>The scheme used on the wire towards the upstream.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool UsesTls => Protocol is "https" or "grpcs" or "wss";

    /// <summary>As Kong: the TLS fields belong to services that speak TLS to their upstream.</summary>
    public void Check(FieldErrors errors)
    {
        if (UsesTls) return;
        var refused = false;
        refused |= RefuseSet(errors, "client_certificate", ClientCertificate is not null);
        refused |= RefuseSet(errors, "tls_verify", TlsVerify is not null);
        refused |= RefuseSet(errors, "tls_verify_depth", TlsVerifyDepth is not null);
        refused |= RefuseSet(errors, "ca_certificates", CaCertificates is not null);
        if (refused) errors.AddEntity("failed conditional validation given value of field 'protocol'");
    }

    private static bool RefuseSet(FieldErrors errors, string field, bool isSet)
    {
        if (isSet) errors.Add(field, "value must be null");
        return isSet;
    }
}
