namespace Gateway.Operator.Translation;

/// <summary>
/// How the gateway talks to a Kubernetes Service, from the Service's annotations (as Kong Ingress Controller reads
/// them from the Service, not the Ingress, since several Ingresses share one Service).
/// </summary>
public sealed record ServiceOptions
{
    /// <summary>The protocols a Kong service speaks to its upstream that a Kubernetes Service can be.</summary>
    private static readonly string[] KnownProtocols = ["http", "https", "grpc", "grpcs", "ws", "wss"];

    public string Protocol { get; init; } = "http";
    /// <summary>Send to the Service's cluster DNS name (kube-proxy balances) instead of to its ready endpoints.</summary>
    public bool ServiceUpstream { get; init; }
    public string? Path { get; init; }
    public string? HostHeader { get; init; }
    public int? ReadTimeout { get; init; }
    public int? WriteTimeout { get; init; }
    public int? ConnectTimeout { get; init; }
    public int? Retries { get; init; }

    public static ServiceOptions From(IDictionary<string, string>? annotations, List<Problem> problems)
    {
        var read = new AnnotationReader(annotations, problems);
        return new ServiceOptions
        {
            Protocol = read.Text(AnnotationReader.Spellings("protocol"), "expected one of " + string.Join(", ", KnownProtocols),
                p => KnownProtocols.Contains(p, StringComparer.OrdinalIgnoreCase))?.ToLowerInvariant() ?? "http",
            ServiceUpstream = read.Bool(["tollgate.dev/service-upstream", "ingress.kubernetes.io/service-upstream"]) ?? false,
            Path = read.Text(AnnotationReader.Spellings("path"), "expected an absolute path without query or fragment (/api)",
                p => p.StartsWith('/') && !p.Contains('?') && !p.Contains('#')),
            HostHeader = read.Text(AnnotationReader.Spellings("host-header"), "expected a hostname", AnnotationReader.IsHostname),
            ReadTimeout = Milliseconds(read, "read-timeout"),
            WriteTimeout = Milliseconds(read, "write-timeout"),
            ConnectTimeout = Milliseconds(read, "connect-timeout"),
            Retries = read.Int(AnnotationReader.Spellings("retries"), 0, 32767),
        };
    }

    private static int? Milliseconds(AnnotationReader read, string setting) =>
        read.Int(AnnotationReader.Spellings(setting), 1, 2147483646);
}
