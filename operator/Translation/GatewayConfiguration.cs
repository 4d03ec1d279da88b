using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Gateway.Operator.Translation;

/// <summary>
/// The Kong entities an ApiGateway's operator owns, each list sorted, so that the same cluster state always gives the
/// same document byte for byte. Every entity carries <see cref="OwnerTag"/>, the tag a scoped <c>POST /config</c>
/// selects to replace exactly these entities.
/// </summary>
public sealed record GatewayConfiguration
{
    public const string FormatVersion = "3.0";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string OwnerTag { get; init; }
    public IReadOnlyList<KongService> Services { get; init; } = [];
    public IReadOnlyList<KongRoute> Routes { get; init; } = [];
    public IReadOnlyList<KongUpstream> Upstreams { get; init; } = [];
    public IReadOnlyList<KongTarget> Targets { get; init; } = [];
    public IReadOnlyList<KongCertificate> Certificates { get; init; } = [];
    public IReadOnlyList<KongSni> Snis { get; init; } = [];

    /// <summary>
    /// The declarative document (<c>_format_version</c> and one top-level array per kind, references by id). The
    /// scope of a replace (<c>_info.select_tags</c>) is the caller's to add: it belongs to the request, not the content.
    /// </summary>
    public JsonObject ToDeclarative() => new()
    {
        ["_format_version"] = FormatVersion,
        ["services"] = JsonSerializer.SerializeToNode(Services, Json),
        ["routes"] = JsonSerializer.SerializeToNode(Routes, Json),
        ["upstreams"] = JsonSerializer.SerializeToNode(Upstreams, Json),
        ["targets"] = JsonSerializer.SerializeToNode(Targets, Json),
        ["certificates"] = JsonSerializer.SerializeToNode(Certificates, Json),
        ["snis"] = JsonSerializer.SerializeToNode(Snis, Json),
    };

    public string ToJson() => ToDeclarative().ToJsonString();
}
