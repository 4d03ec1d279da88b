using System.Net.Http;
using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Proxying;

/// <summary>How far a failed try got before it failed.</summary>
public enum FailureStage
{
    /// <summary>The client went away or broke its own request: nothing to answer.</summary>
    ClientSide,

    /// <summary>No connection to the upstream: nothing of the request reached it.</summary>
    Connecting,

    /// <summary>The request was (maybe partly) sent, and no response header came: the connection was reset or closed, or the read timed out.</summary>
    AwaitingResponse,

    /// <summary>The response had begun: too late to try again.</summary>
    Responding,
}

/// <summary>
/// What a failed try means for the client, mapped as Kong maps nginx's upstream errors: 502 for a refused, reset or
/// closed connection or an invalid response, 504 for a timeout, 503 when the upstream's name does not resolve.
/// </summary>
public readonly record struct ForwardingFailure(int Status, string? Message, FailureStage Stage, bool TimedOut = false)
{
    public static readonly ForwardingFailure ClientSide = new(0, null, FailureStage.ClientSide);

    public static ForwardingFailure Classify(ForwarderError error, Exception? exception)
    {
        // SocketsHttpHandler's connect timeout: a cancellation whose inner exception is a TimeoutException.
        // YARP reports it as RequestTimedOut, like the read timeout, but here nothing was sent yet.
        if (exception is OperationCanceledException { InnerException: TimeoutException })
            return new ForwardingFailure(504, GatewayResponses.TimingOut, FailureStage.Connecting, TimedOut: true);
        // The read timeout (YARP's activity timeout) fired after the request was sent.
        if (error == ForwarderError.RequestTimedOut)
            return new ForwardingFailure(504, GatewayResponses.TimingOut, FailureStage.AwaitingResponse, TimedOut: true);
        if (exception is HttpRequestException http)
        {
            if (http.HttpRequestError == HttpRequestError.NameResolutionError)
                return new ForwardingFailure(503, GatewayResponses.NameResolutionFailed, FailureStage.Connecting);
            // A socket error directly under the request exception comes from opening the connection;
            // errors while talking are wrapped in an IOException instead.
            if (http.InnerException is SocketException)
                return new ForwardingFailure(502, GatewayResponses.InvalidResponse, FailureStage.Connecting);
        }
        return error switch
        {
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
                or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient
                or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeRequestClient
                or ForwarderError.UpgradeResponseCanceled or ForwarderError.UpgradeResponseClient => ClientSide,
            // Reset, closed before a response header ("the response ended prematurely"), or the body could not be sent.
            ForwarderError.Request or ForwarderError.RequestBodyDestination =>
                new ForwardingFailure(502, GatewayResponses.InvalidResponse, FailureStage.AwaitingResponse),
            _ => new ForwardingFailure(502, GatewayResponses.InvalidResponse, FailureStage.Responding),
        };
    }
}
