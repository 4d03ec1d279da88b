using System.Diagnostics;
using System.Globalization;

namespace Gateway.Proxy.Proxying;

/// <summary>The headers the gateway adds, named as Kong names its X-Kong-* headers.</summary>
public static class GatewayHeaders
{
    public const string RequestId = "X-Tollgate-Request-Id";
    public const string UpstreamLatency = "X-Tollgate-Upstream-Latency";
    public const string ProxyLatency = "X-Tollgate-Proxy-Latency";
    public const string ResponseLatency = "X-Tollgate-Response-Latency";

    /// <summary>"0.1.0", from the assembly version.</summary>
    public static readonly string Version = ProductVersion();

    /// <summary>The Server header of gateway-generated responses: "tollgate/0.1.0".</summary>
    public static readonly string Server = "tollgate/" + Version;

    /// <summary>Our Via entry for HTTP/1.1 hops (Kong 3.8+ writes "1.1 kong/3.x.y").</summary>
    public static readonly string Via11 = "1.1 " + Server;

    /// <summary>Our Via entry towards and from gRPC (HTTP/2) upstreams.</summary>
    public static readonly string Via2 = "2 " + Server;

    private static readonly string[] SmallNumbers = CreateSmallNumbers();

    /// <summary>Whole milliseconds between two <see cref="Stopwatch"/> timestamps, as header text.</summary>
    public static string Milliseconds(long from, long to)
    {
        var ms = (long)Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
        return ms >= 0 && ms < SmallNumbers.Length ? SmallNumbers[ms] : ms.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The Via version token of a client protocol: "1.1", "1.0", "2", "3".</summary>
    public static string ViaEntry(string protocol) => protocol switch
    {
        "HTTP/1.1" => Via11,
        "HTTP/2" => Via2,
        "HTTP/1.0" => "1.0 " + Server,
        "HTTP/3" => "3 " + Server,
        _ => Via11,
    };

    private static string ProductVersion()
    {
        var version = typeof(GatewayHeaders).Assembly.GetName().Version ?? new Version(0, 0, 0);
        return version.ToString(3);
    }

    private static string[] CreateSmallNumbers()
    {
        var numbers = new string[1024];
        for (var i = 0; i < numbers.Length; i++) numbers[i] = i.ToString(CultureInfo.InvariantCulture);
        return numbers;
    }
}
