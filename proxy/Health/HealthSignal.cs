using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Health;

public enum SignalKind : byte
{
    /// <summary>Nothing to count: the client went away, or the gateway itself failed.</summary>
    None,

    /// <summary>The target answered with <see cref="HealthSignal.Status"/> (0: an unreadable status line).</summary>
    Status,

    /// <summary>A TCP probe connected.</summary>
    Connected,

    /// <summary>The connection was refused, reset, or broke; or the answer was not HTTP.</summary>
    TcpFailure,

    /// <summary>Connecting or waiting for the answer took too long.</summary>
    Timeout,
}

/// <summary>What one proxied try or one active probe told about the target it went to.</summary>
public readonly record struct HealthSignal(SignalKind Kind, int Status = 0)
{
    public static readonly HealthSignal None = new(SignalKind.None);
    public static readonly HealthSignal Connected = new(SignalKind.Connected);
    public static readonly HealthSignal TcpFailure = new(SignalKind.TcpFailure);
    public static readonly HealthSignal Timeout = new(SignalKind.Timeout);

    public static HealthSignal Answered(int status) => new(SignalKind.Status, status);

    /// <summary>
    /// The signal of a proxied try, as Kong reads nginx's: the upstream's status when the exchange completed, a timeout when
    /// connecting or the read timeout expired, a TCP failure when the upstream refused, reset or broke the exchange. Failures on
    /// the client's side, the gateway's own, and anything after a protocol upgrade say nothing about the target.
    /// </summary>
    public static HealthSignal OfTry(ForwarderError error, HttpContext context) => error switch
    {
        ForwarderError.None => Answered(context.Response.StatusCode),
        ForwarderError.RequestTimedOut => Timeout,
        ForwarderError.Request or ForwarderError.RequestBodyDestination or ForwarderError.ResponseBodyDestination => TcpFailure,
        _ => None,
    };
}
