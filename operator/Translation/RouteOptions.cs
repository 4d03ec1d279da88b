namespace Gateway.Operator.Translation;

/// <summary>
/// How an Ingress's routes behave, from its annotations. The defaults are Kong Ingress Controller's: the path is not
/// stripped (<c>/foo</c> reaches the service as <c>/foo</c>) and the client's Host header is sent upstream.
/// </summary>
public sealed record RouteOptions
{
    private static readonly string[] KnownProtocols = ["http", "https", "grpc", "grpcs", "ws", "wss"];

    public bool StripPath { get; init; }
    public bool PreserveHost { get; init; } = true;
    public string[]? Methods { get; init; }
    public string[] Protocols { get; init; } = ["http", "https"];
    public int HttpsRedirectStatusCode { get; init; } = 426;
    public int RegexPriority { get; init; }

    /// <summary>The options an Ingress's annotations ask for; every bad value is added to <paramref name="problems"/>.</summary>
    public static RouteOptions From(IDictionary<string, string>? annotations, List<Problem> problems)
    {
        var read = new AnnotationReader(annotations, problems);
        var defaults = new RouteOptions();
        return new RouteOptions
        {
            StripPath = read.Bool(AnnotationReader.Spellings("strip-path")) ?? defaults.StripPath,
            PreserveHost = read.Bool(AnnotationReader.Spellings("preserve-host")) ?? defaults.PreserveHost,
            Methods = read.List(AnnotationReader.Spellings("methods"), "expected comma-separated HTTP methods (GET,POST)",
                m => m.All(char.IsAsciiLetter) ? m.ToUpperInvariant() : null),
            Protocols = read.List(AnnotationReader.Spellings("protocols"), "expected comma-separated protocols from " + string.Join(", ", KnownProtocols),
                p => KnownProtocols.Contains(p.ToLowerInvariant()) ? p.ToLowerInvariant() : null) ?? defaults.Protocols,
            HttpsRedirectStatusCode = read.OneOf(AnnotationReader.Spellings("https-redirect-status-code"), [426, 301, 302, 307, 308])
                                      ?? defaults.HttpsRedirectStatusCode,
            RegexPriority = read.Int(AnnotationReader.Spellings("regex-priority"), int.MinValue, int.MaxValue) ?? defaults.RegexPriority,
        };
    }
}
