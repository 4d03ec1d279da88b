using Gateway.Adversarial.Wire;

namespace Gateway.Adversarial.Runs;

/// <summary>
/// The highest VmHWM read from the gateway during a run. VmHWM is itself a high-water mark; sampling along the
/// way keeps the figure when the process dies before the end.
/// </summary>
public sealed class PeakRss(GatewayProcess gateway)
{
    private readonly Lock _lock = new();
    private double? _megabytes;

    public double? Megabytes
    {
        get { lock (_lock) return _megabytes; }
    }

    public void Sample()
    {
        var now = gateway.PeakRssMegabytes();
        if (now is null) return;
        lock (_lock) _megabytes = Math.Max(_megabytes ?? 0, now.Value);
    }

    public void SampleEvery(int index, int interval)
    {
        if (index % interval == 0) Sample();
    }
}
