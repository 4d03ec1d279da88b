using System.Net.Http;
using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Proxying;

/// <summary>
/// What a failed try means for the client, mapped as Kong maps nginx's upstream errors: 502 for a refused
/// or broken connection or an invalid response, 504 for a timeout, 503 when the upstream's name does not
/// resolve. Only failures to connect are retried: then nothing reached the upstream.
/// </summary>
public readonly record struct ForwardingFailure(int Status, string? Message, bool ConnectFailed)
{
    /// <summary>The client went away or broke its own request: nothing to answer.</summary>
    public static readonly ForwardingFailure ClientSide = new(0, null, false);

    public static ForwardingFailure Classify(ForwarderError error, Exception? exception)
    {
        // SocketsHttpHandler's connect timeout: a cancellation whose inner exception is a TimeoutException.
        // YARP reports it as RequestTimedOut, like the read timeout, but here nothing was sent yet.
        if (exception is OperationCanceledException { InnerException: TimeoutException })
            return new ForwardingFailure(504, GatewayResponses.TimingOut, ConnectFailed: true);
        // The read timeout (YARP's activity timeout) fires after the request was sent: not retried.
        if (error == ForwarderError.RequestTimedOut)
            return new ForwardingFailure(504, GatewayResponses.TimingOut, false);
        if (exception is HttpRequestException http)
        {
            if (http.HttpRequestError == HttpRequestError.NameResolutionError)
                return new ForwardingFailure(503, GatewayResponses.NameResolutionFailed, false);
            // A socket error directly under the request exception comes from opening the connection;
            // errors while talking are wrapped in an IOException instead.
            if (http.InnerException is SocketException)
                return new ForwardingFailure(502, GatewayResponses.InvalidResponse, ConnectFailed: true);
        }
        return error switch
        {
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
                or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient
                or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeRequestClient
                or ForwarderError.UpgradeResponseCanceled or ForwarderError.UpgradeResponseClient => ClientSide,
            _ => new ForwardingFailure(502, GatewayResponses.InvalidResponse, false),
        };
    }
}
