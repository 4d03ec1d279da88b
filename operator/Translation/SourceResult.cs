namespace Gateway.Operator.Translation;

/// <summary>The Kubernetes object an entity or a result comes from.</summary>
public sealed record SourceObject(string Group, string Version, string Kind, string Namespace, string Name, string? Uid, long? Generation)
{
    public static SourceObject Of(V1Ingress ingress) => From("networking.k8s.io", "v1", "Ingress", ingress.Metadata);
    public static SourceObject Of(V1Service service) => From("", "v1", "Service", service.Metadata);
    public static SourceObject Of(V1Secret secret) => From("", "v1", "Secret", secret.Metadata);
    public static SourceObject Of(Operator.GatewayApi.KubernetesGateway gateway) => From(Operator.GatewayApi.GatewayApiBundle.Group, "v1", "Gateway", gateway.Metadata);
    public static SourceObject Of(Operator.GatewayApi.HttpRoute route) => From(Operator.GatewayApi.GatewayApiBundle.Group, "v1", "HTTPRoute", route.Metadata);

    private static SourceObject From(string group, string version, string kind, V1ObjectMeta meta) =>
        new(group, version, kind, meta.NamespaceProperty ?? "default", meta.Name, meta.Uid, meta.Generation);

    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}

/// <summary>
/// One thing wrong with a source object: the field it is in (<c>spec.rules[0].http.paths[1].path</c>,
/// <c>metadata.annotations[konghq.com/methods]</c>), a machine-readable reason and a sentence for people.
/// </summary>
public sealed record Problem(string Field, string Reason, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>Reasons a source object is not (wholly) programmed.</summary>
public static class ProblemReasons
{
    public const string InvalidAnnotation = "InvalidAnnotation";
    public const string InvalidPath = "InvalidPath";
    public const string InvalidHost = "InvalidHost";
    public const string InvalidBackend = "InvalidBackend";
    public const string BackendNotFound = "BackendNotFound";
    public const string InvalidTls = "InvalidTls";
}

/// <summary>
/// What became of one source object: programmed when nothing is wrong, else every problem found. A problem in one
/// part (a path, a TLS entry) leaves the object's other parts served; a bad annotation leaves out the whole object.
/// </summary>
public sealed record SourceResult(SourceObject Source, IReadOnlyList<Problem> Problems)
{
    public bool Programmed => Problems.Count == 0;

    /// <summary>The first problem's reason, for a condition's <c>reason</c>; null when programmed.</summary>
    public string? Reason => Problems.Count == 0 ? null : Problems[0].Reason;

    /// <summary>Every problem on one line, each naming its field; null when programmed.</summary>
    public string? Message => Problems.Count == 0 ? null : string.Join("; ", Problems);
}
