using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer;

/// <summary>A kind the server serves: where it lives in the URL space and how it behaves.</summary>
public sealed record ResourceType(
    string Group,
    string Version,
    string Kind,
    string Plural,
    bool Namespaced,
    bool HasStatus,
    IReadOnlyList<string> ShortNames)
{
    /// <summary>Printer columns of a custom resource (from its CRD); empty for built-in kinds.</summary>
    public JsonArray PrinterColumns { get; init; } = [];

    /// <summary>The openAPIV3Schema of a custom resource: validated, defaulted and pruned on every write.</summary>
    public JsonObject? Schema { get; init; }

    public bool IsCustom { get; init; }

    /// <summary>A request rather than a stored kind (a SelfSubjectAccessReview): only created, and answered at once.</summary>
    public bool CreateOnly { get; init; }

    /// <summary>Set when this kind is another version of a resource kept as <see cref="StoredAs"/>: writes and reads convert.</summary>
    public ResourceType? StoredAs { get; init; }

    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>"deployments.apps" or "secrets", as the API server names resources in messages.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string Singular => Kind.ToLowerInvariant();
}
