using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Transforms;

namespace Gateway.Proxy.Plugins.ResponseTransformer;

public sealed record ResponseTransformerConfig
{
    public ResponseNames Remove { get; init; } = new();
    public ResponsePairs Rename { get; init; } = new();
    public TypedResponsePairs Replace { get; init; } = new();
    public TypedResponsePairs Add { get; init; } = new();
    public TypedResponsePairs Append { get; init; } = new();
}

/// <summary>Names of response headers and top-level JSON body fields.</summary>
public sealed record ResponseNames
{
    [CheckedBy(typeof(NameValue), nameof(NameValue.CheckName))]
    public string[] Headers { get; init; } = [];

    [CheckedBy(typeof(NameValue), nameof(NameValue.CheckName))]
    public string[] Json { get; init; } = [];
}

/// <summary>"old:new" entries.</summary>
public sealed record ResponsePairs
{
    [CheckedBy(typeof(NameValue), nameof(NameValue.CheckEntry))]
    public string[] Headers { get; init; } = [];

    [CheckedBy(typeof(NameValue), nameof(NameValue.CheckEntry))]
    public string[] Json { get; init; } = [];
}

/// <summary>"name:value" entries; json_types gives each json entry's type (string by default).</summary>
public sealed record TypedResponsePairs : IEntityRules
{
    [CheckedBy(typeof(NameValue), nameof(NameValue.CheckEntry))]
    public string[] Headers { get; init; } = [];

    [CheckedBy(typeof(NameValue), nameof(NameValue.CheckEntry))]
    public string[] Json { get; init; } = [];

    [OneOf("string", "number", "boolean")]
    public string[] JsonTypes { get; init; } = [];

    public void Check(FieldErrors errors)
    {
        if (JsonTypes.Length > Json.Length) errors.Add("json_types", "has more entries than 'json'");
    }
}
