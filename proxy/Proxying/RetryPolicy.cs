using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Proxying;

/// <summary>
/// Whether a failed try may be sent again, as nginx's <c>proxy_next_upstream error timeout</c> under Kong's
/// <c>retries</c>: a request that never reached the upstream always may; one the upstream may have received only when
/// its method is idempotent (RFC 9110: GET, HEAD, OPTIONS, PUT, DELETE, TRACE) and its body, if any, can be sent again
/// whole. A read timeout is tried again only on another target: the same one would most likely make the client wait
/// as long once more.
/// <para>
/// .NET's HTTP client itself sends a request that has no content again, up to three times on new connections, when a
/// connection closes before any byte of a response (and there is no switch to turn that off). So a body-less request
/// that is not idempotent is always given empty content (see <see cref="ProxyExchange"/>), which stops the client from
/// replaying it; and a body-less idempotent request that met a closed connection is sent again by the gateway only to
/// another target, since the client has already tried its own target anew — unless the try went out on a pooled
/// connection of a peer just found to close its connections (<see cref="Routing.UpstreamPeer.ClosesConnections"/>):
/// then the client's own attempts may all have met such connections, and a new try no longer will.
/// </para>
/// </summary>
public static class RetryPolicy
{
    public static bool MayRetry(ForwardingFailure failure, string method, bool hasBody, bool bodyReplayable, bool anotherTarget,
        bool staleConnection = false) =>
        failure.Stage switch
        {
            FailureStage.Connecting => bodyReplayable,
            FailureStage.AwaitingResponse => IsIdempotent(method) && bodyReplayable
                                             && (anotherTarget || (hasBody || staleConnection) && !failure.TimedOut),
            _ => false,
        };

    public static bool IsIdempotent(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
        || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method) || HttpMethods.IsTrace(method);
}
