using Gateway.Proxy.Schema;
using Gateway.Proxy.Transforms;

namespace Gateway.Proxy.Plugins.RequestTransformer;

public sealed record RequestTransformerConfig
{
    [Matches("^[A-Z]+$", "a method in upper case, such as GET or POST"), Description("Change the request's method.")]
    public string? HttpMethod { get; init; }

    public RequestNames Remove { get; init; } = new();
    public RequestPairs Rename { get; init; } = new();
    public RequestReplacements Replace { get; init; } = new();
    public RequestPairs Add { get; init; } = new();
    public RequestPairs Append { get; init; } = new();
}

/// <summary>Names of headers, query parameters and body fields.</summary>
public sealed record RequestNames
{
    [CheckedBy(typeof(NameValue), nameof(NameValue.CheckName))]
    public string[] Headers { get; init; } = [];

    [CheckedBy(typeof(NameValue), nameof(NameValue.CheckName))]
    public string[] Querystring { get; init; } = [];

    [CheckedBy(typeof(NameValue), nameof(NameValue.CheckName))]
    public string[] Body { get; init; } = [];
}

/// <summary>"name:value" entries ("old:new" for rename) for headers, query parameters and body fields.</summary>
public sealed record RequestPairs
{
    [CheckedBy(typeof(NameValue), nameof(NameValue.CheckEntry))]
    public string[] Headers { get; init; } = [];

    [CheckedBy(typeof(NameValue), nameof(NameValue.CheckEntry))]
    public string[] Querystring { get; init; } = [];

    [CheckedBy(typeof(NameValue), nameof(NameValue.CheckEntry))]
    public string[] Body { get; init; } = [];
}

/// <summary>Replacements, and the path sent upstream.</summary>
public sealed record RequestReplacements
{
    [CheckedBy(typeof(Template), nameof(Template.Check)), Description("The path sent upstream instead of the client's.")]
    public string? Uri { get; init; }

    [CheckedBy(typeof(NameValue), nameof(NameValue.CheckEntry))]
    public string[] Headers { get; init; } = [];

    [CheckedBy(typeof(NameValue), nameof(NameValue.CheckEntry))]
    public string[] Querystring { get; init; } = [];

    [CheckedBy(typeof(NameValue), nameof(NameValue.CheckEntry))]
    public string[] Body { get; init; } = [];
}
