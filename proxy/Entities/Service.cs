using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Entities;

[Description("An upstream API the gateway forwards matched requests to.")]
public sealed record Service : Entity
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

    [Description("Verify the upstream's TLS certificate (https services).")]
    public bool? TlsVerify { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>The scheme used on the wire towards the upstream.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool UsesTls => Protocol is "https" or "grpcs" or "wss";
}
