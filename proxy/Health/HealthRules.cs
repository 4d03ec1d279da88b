using Gateway.Proxy.Entities;

namespace Gateway.Proxy.Health;

/// <summary>
/// One checker's reading of signals (the active probes' or the passive observation's): which statuses are successes and which
/// are HTTP failures, and how many of each kind change a target's side. A limit of 0 disables that counter.
/// </summary>
public sealed class HealthRules
{
    private readonly StatusSet _healthyStatuses;
    private readonly StatusSet _unhealthyStatuses;
    private readonly int _successes;
    private readonly int _httpFailures;
    private readonly int _tcpFailures;
    private readonly int _timeouts;

    public HealthRules(int[] healthyStatuses, int successes, int[] unhealthyStatuses, int httpFailures, int tcpFailures, int timeouts)
    {
        _healthyStatuses = new StatusSet(healthyStatuses);
        _unhealthyStatuses = new StatusSet(unhealthyStatuses);
        _successes = successes;
        _httpFailures = httpFailures;
        _tcpFailures = tcpFailures;
        _timeouts = timeouts;
    }

    public static HealthRules Of(ActiveHealthcheck active) =>
        new(active.Healthy.HttpStatuses, active.Healthy.Successes, active.Unhealthy.HttpStatuses,
            active.Unhealthy.HttpFailures, active.Unhealthy.TcpFailures, active.Unhealthy.Timeouts);

    public static HealthRules Of(PassiveHealthcheck passive) =>
        new(passive.Healthy.HttpStatuses, passive.Healthy.Successes, passive.Unhealthy.HttpStatuses,
            passive.Unhealthy.HttpFailures, passive.Unhealthy.TcpFailures, passive.Unhealthy.Timeouts);

    /// <summary>Whether any signal can change anything.</summary>
    public bool CountsAnything => _successes > 0 || _httpFailures > 0 || _tcpFailures > 0 || _timeouts > 0;

    /// <summary>
    /// The counter a signal goes to and its limit; a limit of 0 means the signal is not counted. A status in neither list is
    /// ignored, and an unreadable status line (0) is an HTTP failure, as in Kong.
    /// </summary>
    public (HealthCounter Counter, int Limit) Classify(HealthSignal signal) => signal.Kind switch
    {
        SignalKind.Status when _healthyStatuses.Contains(signal.Status) => (HealthCounter.Successes, _successes),
        SignalKind.Status when signal.Status == 0 || _unhealthyStatuses.Contains(signal.Status) => (HealthCounter.HttpFailures, _httpFailures),
        SignalKind.Connected => (HealthCounter.Successes, _successes),
        SignalKind.TcpFailure => (HealthCounter.TcpFailures, _tcpFailures),
        SignalKind.Timeout => (HealthCounter.Timeouts, _timeouts),
        _ => (HealthCounter.Successes, 0),
    };
}
