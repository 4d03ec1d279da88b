using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Entities;

[Description("One address behind an upstream, with its share of the traffic.")]
public sealed record Target : Entity
{
    [Required, CheckedBy(typeof(Names), nameof(Names.CheckTarget)), Description("host:port (the port defaults to 8000).")]
    [JsonPropertyName("target")]
    public string? Address { get; init; }

    [Between(0, 65535), Description("Relative share of traffic; 0 takes the target out of rotation.")]
    public int Weight { get; init; } = 100;

    [Required, References("upstreams", Cascade = true)]
    public EntityRef? Upstream { get; init; }

    /// <summary>Kong stores a target with its port: "example.com" becomes "example.com:8000".</summary>
    public static void Expand(JsonObject input, FieldErrors errors)
    {
        if (input["target"] is JsonValue value && value.TryGetValue<string>(out var text) && TargetAddress.TryParse(text, out var address))
            input["target"] = address.ToString();
    }
}
