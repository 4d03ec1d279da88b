using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Plugins.RequestSizeLimiting;

public sealed record RequestSizeLimitingConfig
{
    [Between(0, int.MaxValue), Description("The largest request body allowed, in size_unit.")]
    public int AllowedPayloadSize { get; init; } = 128;

    [OneOf("bytes", "kilobytes", "megabytes")]
    public string SizeUnit { get; init; } = "megabytes";

    [Description("Refuse requests that do not state their body size in Content-Length (411).")]
    public bool RequireContentLength { get; init; }

    public long LimitInBytes => SizeUnit switch
    {
        "bytes" => AllowedPayloadSize,
        "kilobytes" => AllowedPayloadSize * 1024L,
        _ => AllowedPayloadSize * 1024L * 1024L,
    };
}
