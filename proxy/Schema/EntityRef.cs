namespace Gateway.Proxy.Schema;

/// <summary>A reference to another entity, written as Kong writes it: <c>{"id": "…"}</c>.</summary>
public sealed record EntityRef(Guid Id);
