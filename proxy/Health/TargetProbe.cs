using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Gateway.Proxy.LoadBalancing;

namespace Gateway.Proxy.Health;

/// <summary>
/// One active probe of one target, as Kong's checker makes it: a TCP connection (a success for tcp checks), a TLS handshake
/// for https, then <c>GET http_path</c> with <c>Connection: close</c> and the status line read. All of it within the timeout.
/// </summary>
public static class TargetProbe
{
    public static async Task<HealthSignal> RunAsync(ActiveCheck check, BalancerTarget target, string host, CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(check.Timeout);
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(target.Host.Trim('[', ']'), target.Port, timeout.Token);
            if (check.Type == "tcp") return HealthSignal.Connected;
            await using var stream = await OpenAsync(socket, check, host, timeout.Token);
            await stream.WriteAsync(check.Request(host), timeout.Token);
            return HealthSignal.Answered(await ProbeStatusLine.ReadAsync(stream, timeout.Token));
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return HealthSignal.Timeout;
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException)
        {
            return HealthSignal.TcpFailure;
        }
    }

    private static async Task<Stream> OpenAsync(Socket socket, ActiveCheck check, string host, CancellationToken ct)
    {
        var network = new NetworkStream(socket, ownsSocket: false);
        if (check.Type != "https") return network;
        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions { TargetHost = check.HttpsSni ?? host };
        if (!check.VerifyCertificate) options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        try
        {
            await tls.AuthenticateAsClientAsync(options, ct);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }
}
