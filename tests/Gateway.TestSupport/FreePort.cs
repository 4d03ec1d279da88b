using System.Net;
using System.Net.Sockets;

namespace Gateway.TestSupport;

/// <summary>Finds TCP ports on the loopback interface that nothing is listening on.</summary>
public static class FreePort
{
    /// <summary>
    /// Returns a port the OS considers free right now. Binding to port 0 lets the kernel pick,
    /// which avoids collisions between tests running in parallel.
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
