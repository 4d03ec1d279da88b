using System.Runtime.InteropServices;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Gateway.Operator;

/// <summary>Runs the operator until SIGTERM or Ctrl+C, then shuts down gracefully (reconciles finish, the lease is released).</summary>
public static class OperatorProcess
{
    public static async Task<int> RunAsync()
    {
        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("TOLLGATE_LOG_LEVEL"), ignoreCase: true, out var parsed) ? parsed : LogLevel.Information;
        using var loggers = new ConsoleLoggerFactory(level);
        var logger = loggers.CreateLogger("Operator");
        var connection = ClusterConfig.Detect();
        using var client = new KubernetesApi(connection);
        var options = new OperatorOptions
        {
            Namespace = Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } ns ? ns : client.DefaultNamespace,
            Identity = Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod : $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..6]}",
        };
        var gatewayOperator = GatewayOperator.Create(client, loggers, options);

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });

        var healthPort = int.TryParse(Environment.GetEnvironmentVariable("TOLLGATE_HEALTH_PORT"), out var port) ? port : HealthEndpoint.Port;
        var health = healthPort > 0
            ? new HealthEndpoint(healthPort, () => gatewayOperator.Runtime.IsReady, loggers.CreateLogger<HealthEndpoint>()).RunAsync(stop.Token)
            : Task.CompletedTask;
        logger.LogInformation("tollgate operator {Version} as {Identity}, API server {Server}", Entities.ApiGatewaySpec.DefaultVersion, options.Identity, connection.Host);
        await gatewayOperator.RunAsync(stop.Token);
        await health;
        logger.LogInformation("stopped");
        return 0;
    }
}
