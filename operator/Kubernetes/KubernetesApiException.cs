using System.Net;

namespace Gateway.Operator.Kubernetes;

/// <summary>The API server refused a request; <see cref="Exception.Message"/> is the server's own message.</summary>
public class KubernetesApiException(HttpStatusCode statusCode, string? reason, string message) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The server's one-word reason: NotFound, AlreadyExists, Conflict, Invalid, Expired…</summary>
    public string? Reason { get; } = reason;

    internal static KubernetesApiException From(HttpStatusCode code, Status? status, string fallback)
    {
        var message = status?.Message ?? fallback;
        var reason = status?.Reason;
        return (int)code switch
        {
            404 => new KubernetesNotFoundException(reason, message),
            409 => new KubernetesConflictException(reason, message),
            410 => new KubernetesGoneException(message),
            422 => new KubernetesInvalidException(reason, message),
            _ => new KubernetesApiException(code, reason, message),
        };
    }
}

/// <summary>404: the object (or its namespace) does not exist.</summary>
public sealed class KubernetesNotFoundException(string? reason, string message)
    : KubernetesApiException(HttpStatusCode.NotFound, reason, message);

/// <summary>409: a stale resourceVersion (reason Conflict) or a name already taken (reason AlreadyExists).</summary>
public sealed class KubernetesConflictException(string? reason, string message)
    : KubernetesApiException(HttpStatusCode.Conflict, reason, message)
{
    public bool AlreadyExists => Reason == "AlreadyExists";
}

/// <summary>410: the resourceVersion a watch asked for is no longer in the server's history; list again.</summary>
public sealed class KubernetesGoneException(string message)
    : KubernetesApiException(HttpStatusCode.Gone, "Expired", message);

/// <summary>422: the object failed validation; the message names the fields.</summary>
public sealed class KubernetesInvalidException(string? reason, string message)
    : KubernetesApiException((HttpStatusCode)422, reason, message);
