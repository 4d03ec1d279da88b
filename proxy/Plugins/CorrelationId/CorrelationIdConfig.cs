using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Plugins.CorrelationId;

public sealed record CorrelationIdConfig
{
    [Length(1, 256), Description("The header carrying the correlation id.")]
    public string HeaderName { get; init; } = "Kong-Request-ID";

    [OneOf("uuid", "uuid#counter", "tracker"), Description("uuid: a random UUID; uuid#counter: a per-node UUID and a counter; tracker: address, port, process, time and counter.")]
    public string Generator { get; init; } = "uuid#counter";

    [Description("Also send the id back to the client.")]
    public bool EchoDownstream { get; init; }
}
