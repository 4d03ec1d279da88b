using System.Diagnostics.Metrics;

namespace Gateway.Proxy.Admin.Info;

/// <summary>
/// Connection and request counters for <c>GET /status</c>, read from the metrics Kestrel and ASP.NET Core
/// publish for this host (all listeners: proxy and admin), like nginx's stub_status behind Kong's.
/// </summary>
public sealed class ServerStatistics : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _activeConnections;
    private long _acceptedConnections;
    private long _activeRequests;
    private long _totalRequests;

    public ServerStatistics(IMeterFactory meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope != meters) return;
            if (instrument is { Name: "kestrel.active_connections", Meter.Name: "Microsoft.AspNetCore.Server.Kestrel" }
                or { Name: "http.server.active_requests", Meter.Name: "Microsoft.AspNetCore.Hosting" })
            {
                listener.EnableMeasurementEvents(instrument, this);
            }
        };
        _listener.SetMeasurementEventCallback<long>(static (instrument, change, _, state) =>
            ((ServerStatistics)state!).Record(instrument.Name, change));
        _listener.Start();
    }

    public long ActiveConnections => Interlocked.Read(ref _activeConnections);
    public long AcceptedConnections => Interlocked.Read(ref _acceptedConnections);
    public long ActiveRequests => Interlocked.Read(ref _activeRequests);
    public long TotalRequests => Interlocked.Read(ref _totalRequests);

    private void Record(string instrument, long change)
    {
        if (instrument == "kestrel.active_connections")
        {
            Interlocked.Add(ref _activeConnections, change);
            if (change > 0) Interlocked.Add(ref _acceptedConnections, change);
        }
        else
        {
            Interlocked.Add(ref _activeRequests, change);
            if (change > 0) Interlocked.Add(ref _totalRequests, change);
        }
    }

    public void Dispose() => _listener.Dispose();
}
