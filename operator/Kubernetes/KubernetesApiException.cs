using System.Net;
using System.Text.Json;
using k8s.Autorest;

namespace Gateway.Operator.Kubernetes;

/// <summary>The API server refused a request; <see cref="Exception.Message"/> is the server's own message.</summary>
public class KubernetesApiException(HttpStatusCode statusCode, string? reason, string message) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The server's one-word reason: NotFound, AlreadyExists, Conflict, Invalid, Expired, Forbidden…</summary>
    public string? Reason { get; } = reason;

    /// <summary>The client's error for a refused request, with the Status the server sent in its body.</summary>
    public static KubernetesApiException From(HttpOperationException error)
    {
        V1Status? status = null;
        try
        {
            if (error.Response?.Content is { Length: > 0 } body)
                status = k8s.KubernetesJson.Deserialize<V1Status>(body);
        }
        catch (JsonException)
        {
        }
        var code = error.Response?.StatusCode ?? 0;
        var fallback = $"{(int)code} {code} from {error.Request?.Method} {error.Request?.RequestUri?.AbsolutePath}";
        return From(code, status, fallback);
    }

    public static KubernetesApiException From(HttpStatusCode code, V1Status? status, string fallback)
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

/// <summary>409: a stale resourceVersion (reason Conflict), a name already taken (AlreadyExists), or an apply conflict.</summary>
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
