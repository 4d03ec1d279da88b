using Gateway.Operator.Builders;
using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Reconciliation;
using Gateway.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Gateway.Operator;

/// <summary>How one operator process runs: where, which lease it campaigns for and as whom.</summary>
public sealed record OperatorOptions
{
    /// <summary>The namespace the operator runs in: its Lease is there, and only its pods there may reach the Admin API.</summary>
    public required string Namespace { get; init; }
    public required string Identity { get; init; }
    public string LeaseName { get; init; } = "tollgate-operator";
    public LeaderElectionTimings Timings { get; init; } = LeaderElectionTimings.Default;
    public int Workers { get; init; } = 2;
}

/// <summary>
/// The composition root: informers for ApiGateways and (only the operator's own, by label) children,
/// the ApiGateway controller, leader election. Secrets are not watched (see <see cref="ChildWriter"/>).
/// The executable and the end-to-end tests build the operator through here, so tests run exactly what
/// production runs.
/// </summary>
public sealed class GatewayOperator
{
    GatewayOperator(OperatorRuntime runtime, ApiGatewayController controller, EntityControllerHost<ApiGateway> host, LeaderElector elector)
    {
        Runtime = runtime;
        Controller = controller;
        Host = host;
        Elector = elector;
    }

    public OperatorRuntime Runtime { get; }
    public ApiGatewayController Controller { get; }
    public EntityControllerHost<ApiGateway> Host { get; }
    public LeaderElector Elector { get; }

    public static GatewayOperator Create(IKubernetesClient client, ILoggerFactory loggers, OperatorOptions options)
    {
        var informers = new InformerSet();
        Informer<T> Watch<T>(string? selector) where T : class, IKubernetesObject<V1ObjectMeta> =>
            informers.Add(new Informer<T>(client, selector, loggers.CreateLogger($"Informer.{typeof(T).Name}")));

        var gateways = Watch<ApiGateway>(null);
        var controller = new ApiGatewayController(client, informers, new EventRecorder(client, loggers.CreateLogger<EventRecorder>()),
            TimeProvider.System, loggers.CreateLogger<ApiGatewayController>(), options.Namespace);
        var host = new EntityControllerHost<ApiGateway>(client, controller, gateways, loggers.CreateLogger("ApiGateway"))
            {
                Workers = options.Workers,
            }
            // Earlier versions removed database volume claims in this finalizer; the StatefulSet's retention policy does now.
            .RetireFinalizer("tollgate.dev/cleanup")
            .Owns(Watch<V1ServiceAccount>(GatewayLabels.ManagedSelector))
            .Owns(Watch<V1NetworkPolicy>(GatewayLabels.ManagedSelector))
            .Owns(Watch<V1Service>(GatewayLabels.ManagedSelector))
            .Owns(Watch<V1StatefulSet>(GatewayLabels.ManagedSelector))
            .Owns(Watch<V1Deployment>(GatewayLabels.ManagedSelector))
            .Owns(Watch<V1Job>(GatewayLabels.ManagedSelector))
            .Owns(Watch<V1PodDisruptionBudget>(GatewayLabels.ManagedSelector))
            .OwnsByLabels(Watch<V1IngressClass>(GatewayLabels.ManagedSelector), GatewayLabels.GatewayNamespace, GatewayLabels.Instance);

        var elector = new LeaderElector(client, options.Namespace, options.LeaseName, options.Identity, options.Timings, loggers.CreateLogger<LeaderElector>());
        var runtime = new OperatorRuntime(informers, [host.RunAsync, controller.RemoveOrphanedIngressClassesAsync], elector, loggers.CreateLogger<OperatorRuntime>());
        return new GatewayOperator(runtime, controller, host, elector);
    }

    public Task RunAsync(CancellationToken stop) => Runtime.RunAsync(stop);
}
