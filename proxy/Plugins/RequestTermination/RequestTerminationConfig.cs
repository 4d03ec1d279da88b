using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Plugins.RequestTermination;

public sealed record RequestTerminationConfig : IEntityRules
{
    // Kong's header_name: what both a header and a query parameter may be called here.
    public const string TriggerPattern = "^[A-Za-z0-9_-]+$";

    [Between(200, 599), Description("The status of the answer.")]
    public int StatusCode { get; init; } = 503;

    [Description("The message of the JSON answer {\"message\": …}; by default Kong's words for the status, when it has any.")]
    public string? Message { get; init; }

    [Description("A raw body to answer with instead of the JSON message.")]
    public string? Body { get; init; }

    [Description("The content type of body (default text/plain; charset=utf-8).")]
    public string? ContentType { get; init; }

    [Description("Answer with a description of the request (method, path, headers, query, body) and the matched route and service: for debugging.")]
    public bool Echo { get; init; }

    [Matches(TriggerPattern, "bad header name, allowed characters are A-Z, a-z, 0-9, '_', and '-'"),
     Description("Terminate only requests with a header or query parameter of this name; others go on to the upstream.")]
    public string? Trigger { get; init; }

    [Between(0, 1),
     Description("Tollgate only: the share of requests terminated, each drawn at random (the others go on to the upstream); 1, all, by default.")]
    public double TollgateShare { get; init; } = 1;

    public void Check(FieldErrors errors)
    {
        if (IsPresent(Message) && (IsPresent(ContentType) || IsPresent(Body)))
            errors.AddEntity("message cannot be used with content_type or body");
        if (IsPresent(ContentType) && !IsPresent(Body))
            errors.AddEntity("content_type requires a body");
        if (Echo && (IsPresent(ContentType) || IsPresent(Body)))
            errors.AddEntity("echo cannot be used with content_type and body");
    }

    private static bool IsPresent(string? value) => !string.IsNullOrEmpty(value);
}
