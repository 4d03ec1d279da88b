using System.Net;
using System.Net.Sockets;

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>
/// A loopback port where new connections hang instead of being refused: the listener never accepts and its
/// backlog is full, so the kernel drops further connection attempts. Stands in for an unreachable host.
/// </summary>
public sealed class UnresponsivePort : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _queued = [];

    private UnresponsivePort(Socket listener)
    {
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public static async Task<UnresponsivePort> OpenAsync()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var port = new UnresponsivePort(listener);
        // Fill the accept queue until connection attempts hang: two in a row, since on a loaded machine one attempt can
        // be slow without the queue being full, and a connection that lands in the queue later is answered by no one.
        var hung = 0;
        for (var i = 0; i < 12; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            port._queued.Add(socket);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                await socket.ConnectAsync(listener.LocalEndPoint!, timeout.Token);
                hung = 0;
            }
            catch (OperationCanceledException)
            {
                if (++hung == 2) return port;
            }
        }
        port.Dispose();
        throw new InvalidOperationException("could not make the loopback listener stop answering");
    }

    public void Dispose()
    {
        foreach (var socket in _queued) socket.Dispose();
        _listener.Dispose();
    }
}
