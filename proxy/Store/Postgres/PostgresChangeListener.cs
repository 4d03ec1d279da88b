using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gateway.Proxy.Store.Postgres;

public enum ChangeReason
{
    /// <summary>The listener (re)connected: changes may have been missed meanwhile, so reload.</summary>
    Connected,

    /// <summary>A configuration write was committed.</summary>
    Notified,
}

/// <summary>Why the consumer should reload, and the version notified (null after a connect).</summary>
public readonly record struct ConfigChangeSignal(ChangeReason Reason, long? Version);

/// <summary>
/// Follows configuration changes over one dedicated connection that LISTENs on <see cref="Channel"/>. When the
/// connection drops (the database restarts, the network fails) it reconnects by itself with a backoff of
/// 100 ms doubling to 2 s. After every connect it signals once, so the consumer reloads and catches up on
/// whatever was committed while nobody listened; after that, each notification is signalled with its version.
/// </summary>
public sealed class PostgresChangeListener
{
    /// <summary>The channel the store notifies after every committed write, with the new version as payload.</summary>
    public const string Channel = "tollgate_config";

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    private readonly string _connectionString;
    private readonly Func<ConfigChangeSignal, CancellationToken, Task> _onChange;
    private readonly ILogger _logger;
    private volatile bool _connected;

    public PostgresChangeListener(string connectionString, Func<ConfigChangeSignal, CancellationToken, Task> onChange, ILogger? logger = null)
    {
        // Not pooled: this connection lives as long as the listener. Keepalives make a silently dead network
        // path fail the wait instead of leaving the listener deaf.
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 10 }.ConnectionString;
        _onChange = onChange;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Whether the listening connection is up right now.</summary>
    public bool IsConnected => _connected;

    /// <summary>Listens, reconnecting as needed, until <paramref name="ct"/> is cancelled; then returns normally.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var delay = FirstRetryDelay;
        var failuresInARow = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(() =>
                {
                    delay = FirstRetryDelay;
                    failuresInARow = 0;
                }, ct);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The first failure is news; the retries that follow while the database stays down are not.
                var level = failuresInARow++ == 0 ? LogLevel.Warning : LogLevel.Debug;
                _logger.Log(level, "configuration change feed lost ({Error}); reconnecting in {Delay} ms", e.Message, delay.TotalMilliseconds);
            }
            finally
            {
                _connected = false;
            }

            try
            {
                await Task.Delay(delay, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private async Task ListenAsync(Action onConnected, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(ct);

        // Npgsql raises notifications synchronously while it reads; collect them and signal after the read.
        var notified = new List<long?>();
        connection.Notification += (_, e) => notified.Add(long.TryParse(e.Payload, out var version) ? version : null);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
            await listen.ExecuteNonQueryAsync(ct);

        _connected = true;
        onConnected();
        _logger.LogInformation("listening for configuration changes");
        // Listening started before this signal, so a change committed from here on is either seen by the
        // reload it triggers or notified afterwards.
        await SignalAsync(new ConfigChangeSignal(ChangeReason.Connected, null), ct);

        while (true)
        {
            await connection.WaitAsync(ct);
            if (notified.Count == 0) continue;
            // The consumer reloads the whole configuration, so only the newest version matters.
            var newest = notified.Max();
            notified.Clear();
            await SignalAsync(new ConfigChangeSignal(ChangeReason.Notified, newest), ct);
        }
    }

    private async Task SignalAsync(ConfigChangeSignal signal, CancellationToken ct)
    {
        try
        {
            await _onChange(signal, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // A failing consumer must not tear down the feed; the next change signals again.
            _logger.LogError(e, "handling configuration change {Reason} (version {Version}) failed", signal.Reason, signal.Version);
        }
    }
}
