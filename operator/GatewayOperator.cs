using Gateway.Operator.Builders;
using Gateway.Operator.Entities;
using Gateway.Operator.GatewayApi;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Reconciliation;
using Gateway.Operator.Runtime;
using Gateway.Operator.Sync;
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
/// The composition root: informers for ApiGateways, their children and everything a gateway's configuration is
/// translated from; the ApiGateway controller, the configuration sync, leader election.
/// The executable and the end-to-end tests build the operator through here, so tests run exactly what
/// production runs.
/// </summary>
public sealed class GatewayOperator
{
    GatewayOperator(OperatorRuntime runtime, ApiGatewayController controller, EntityControllerHost<ApiGateway> host, ConfigurationSync sync, LeaderElector elector)
    {
        Runtime = runtime;
        Controller = controller;
        Host = host;
        Sync = sync;
        Elector = elector;
    }

    public OperatorRuntime Runtime { get; }
    public ApiGatewayController Controller { get; }
    public EntityControllerHost<ApiGateway> Host { get; }
    public ConfigurationSync Sync { get; }
    public LeaderElector Elector { get; }

    public static GatewayOperator Create(IKubernetesClient client, ILoggerFactory loggers, OperatorOptions options)
    {
        var informers = new InformerSet();
        Informer<T> Watch<T>(string? selector, bool optional = false) where T : class, IKubernetesObject<V1ObjectMeta> =>
            informers.Add(new Informer<T>(client, selector, loggers.CreateLogger($"Informer.{typeof(T).Name}")) { Optional = optional });

        var gateways = Watch<ApiGateway>(null);
        var events = new EventRecorder(client, loggers.CreateLogger<EventRecorder>());
        // Every Service and IngressClass, not only the operator's own: Ingresses route to any Service and select any
        // class. Secrets are read by name instead (see SecretCache).
        var services = Watch<V1Service>(null);
        var ingressClasses = Watch<V1IngressClass>(null);
        Watch<V1Ingress>(null);
        Watch<V1EndpointSlice>(null);
        Watch<TollgatePlugin>(null);
        Watch<TollgateClusterPlugin>(null);
        Watch<TollgateConsumer>(null);
        // The Gateway API's kinds are not ours to install: without their CRDs the operator serves Ingresses alone.
        var gatewayClasses = Watch<GatewayClass>(null, optional: true);
        var kubernetesGateways = Watch<KubernetesGateway>(null, optional: true);
        Watch<HttpRoute>(null, optional: true);
        Watch<ReferenceGrant>(null, optional: true);
        Watch<V1Namespace>(null);
        var sync = new ConfigurationSync(client, informers, new AdminApiClient(AdminHttp()), events, TimeProvider.System, loggers.CreateLogger<ConfigurationSync>());
        var controller = new ApiGatewayController(client, informers, events,
            TimeProvider.System, loggers.CreateLogger<ApiGatewayController>(), options.Namespace)
        {
            Configuration = sync.Summary,
            Degraded = () => kubernetesGateways.IsAbsent
                ? $"the Gateway API CRDs ({GatewayApiBundle.Channel} channel, {GatewayApiBundle.Version}) are not installed: Gateways and HTTPRoutes are not served, Ingresses are"
                : null,
        };
        var host = new EntityControllerHost<ApiGateway>(client, controller, gateways, loggers.CreateLogger("ApiGateway"))
            {
                Workers = options.Workers,
            }
            // Earlier versions removed database volume claims in this finalizer; the StatefulSet's retention policy does now.
            .RetireFinalizer("tollgate.dev/cleanup")
            .Owns(Watch<V1ServiceAccount>(GatewayLabels.ManagedSelector))
            .Owns(Watch<V1NetworkPolicy>(GatewayLabels.ManagedSelector))
            .Owns(services)
            .Owns(Watch<V1StatefulSet>(GatewayLabels.ManagedSelector))
            .Owns(Watch<V1Deployment>(GatewayLabels.ManagedSelector))
            .Owns(Watch<V1Job>(GatewayLabels.ManagedSelector))
            .Owns(Watch<V1PodDisruptionBudget>(GatewayLabels.ManagedSelector))
            .OwnsByLabels(ingressClasses, GatewayLabels.GatewayNamespace, GatewayLabels.Instance);
        sync.SummaryChanged += host.Queue.Add;

        var provisioner = new EntityControllerHost<KubernetesGateway>(client,
                new GatewayProvisioner(client, informers, loggers.CreateLogger<GatewayProvisioner>()), kubernetesGateways, loggers.CreateLogger("Gateway"))
            .Owns(gateways);
        // A class gaining or losing its parametersRef (or our controller) changes what its Gateways need.
        gatewayClasses.Changed += (_, changed) =>
        {
            foreach (var gateway in kubernetesGateways.Shared().Where(g => g.Spec.GatewayClassName == changed.Metadata.Name))
                provisioner.Queue.Add(ObjectKey.Of(gateway));
        };

        var elector = new LeaderElector(client, options.Namespace, options.LeaseName, options.Identity, options.Timings, loggers.CreateLogger<LeaderElector>());
        var runtime = new OperatorRuntime(informers, [host.RunAsync, controller.RemoveOrphanedIngressClassesAsync, sync.RunAsync, provisioner.RunAsync], elector, loggers.CreateLogger<OperatorRuntime>());
        return new GatewayOperator(runtime, controller, host, sync, elector);
    }

    // The proxies' Admin API, by pod address: plain HTTP inside the cluster, short timeouts so a dead pod costs little.
    static HttpClient AdminHttp() => new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2), PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public Task RunAsync(CancellationToken stop) => Runtime.RunAsync(stop);
}
