using System.Reflection;
using System.Text.Json.Nodes;
using Gateway.Operator.Builders;
using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Reconciliation;
using Gateway.Operator.Runtime;
using Gateway.Operator.Tests.Builders;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Gateway.Operator.Tests.Reconciliation;

/// <summary>The reconciler alone: its cache is a dictionary, its API client a Moq mock that records every write.</summary>
public class ApiGatewayControllerTests
{
    readonly Mock<IKubernetesClient> client = new();
    readonly DictionaryCache cache = new();
    readonly List<IKubernetesObject<V1ObjectMeta>> created = [];
    readonly List<(Type Type, string Name, JsonNode Patch)> patched = [];
    readonly List<ApiGateway> statuses = [];
    readonly List<Corev1Event> events = [];
    readonly ApiGatewayController controller;

    public ApiGatewayControllerTests()
    {
        client.Setup(c => c.CreateAsync(It.IsAny<AnyObject>(), It.IsAny<CancellationToken>()))
            .Returns(new InvocationFunc(call =>
            {
                var obj = (IKubernetesObject<V1ObjectMeta>)call.Arguments[0]!;
                if (obj is Corev1Event recorded) events.Add(recorded); else created.Add(obj);
                return TaskOf(call.Method.GetGenericArguments()[0], obj);
            }));
        // An apply to a child the cache does not hold creates it; to one it holds, changes it.
        client.Setup(c => c.ApplyAsync(It.IsAny<AnyObject>(), ChildWriter.FieldManager, true, It.IsAny<CancellationToken>()))
            .Returns(new InvocationFunc(call =>
            {
                var type = call.Method.GetGenericArguments()[0];
                var obj = (IKubernetesObject<V1ObjectMeta>)call.Arguments[0]!;
                if (cache.Find(type, obj.Metadata.NamespaceProperty, obj.Metadata.Name!) is null)
                    created.Add(obj);
                else
                    patched.Add((type, obj.Metadata.Name!, ObjectJson.ToNode(obj)));
                return TaskOf(type, obj);
            }));
        client.Setup(c => c.GetAsync<AnyObject>(It.IsAny<string>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Returns(new InvocationFunc(call =>
            {
                var type = call.Method.GetGenericArguments()[0];
                return TaskOf(type, cache.Find(type, (string?)call.Arguments[1], (string)call.Arguments[0]!)!);
            }));
        // Secrets are read through the API, not a cache.
        client.Setup(c => c.GetAsync<V1Secret>(It.IsAny<string>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Returns((string name, string? ns, CancellationToken _) => Task.FromResult(cache.Get<V1Secret>(ns, name)));
        client.Setup(c => c.UpdateStatusAsync(It.IsAny<ApiGateway>(), It.IsAny<CancellationToken>()))
            .Returns((ApiGateway g, CancellationToken _) => { statuses.Add(ObjectJson.Clone(g)); return Task.FromResult(g); });
        controller = new ApiGatewayController(client.Object, cache, new EventRecorder(client.Object, NullLogger<EventRecorder>.Instance),
            TimeProvider.System, NullLogger<ApiGatewayController>.Instance, "tollgate-system");
    }

    static object TaskOf(Type type, object value) =>
        typeof(Task).GetMethod(nameof(Task.FromResult))!.MakeGenericMethod(type).Invoke(null, [value])!;

    static Condition ConditionOf(ApiGateway gw, string type) => gw.Status!.Conditions.Single(c => c.Type == type);

    [Fact]
    public async Task An_invalid_spec_is_stalled_with_the_field_named_and_an_event_and_nothing_is_built()
    {
        var gw = Gateways.New(configure: s => s.Database.Mode = DatabaseMode.External);

        await controller.ReconcileAsync(gw, CancellationToken.None);

        Assert.Empty(created);
        var status = Assert.Single(statuses);
        var stalled = ConditionOf(status, "Stalled");
        Assert.Equal(("True", "InvalidSpec"), (stalled.Status, stalled.Reason));
        Assert.StartsWith("spec.database.external: required when spec.database.mode is External", stalled.Message);
        Assert.Equal("False", ConditionOf(status, "Ready").Status);
        Assert.DoesNotContain(status.Status!.Conditions, c => c.Type == "Reconciling");
        var warning = Assert.Single(events);
        Assert.Equal(("Warning", "InvalidSpec"), (warning.Type, warning.Reason));
        Assert.Contains("spec.database.external", warning.Message);
    }

    [Fact]
    public async Task A_new_gateway_gets_every_child_that_does_not_wait_for_the_database()
    {
        var gw = Gateways.New();

        await controller.ReconcileAsync(gw, CancellationToken.None);

        Assert.Equal(
            ["ServiceAccount edge-proxy", "Secret edge-admin-token", "Secret edge-postgres", "NetworkPolicy edge-postgres",
             "Service edge-postgres", "StatefulSet edge-postgres", "Secret edge-redis", "NetworkPolicy edge-redis", "Deployment edge-redis",
             "Service edge-redis", "Service edge-proxy", "Service edge-admin", "PodDisruptionBudget edge-proxy", "IngressClass tollgate"],
            created.Select(o => $"{o.Kind} {o.Metadata.Name}"));
        var status = Assert.Single(statuses);
        Assert.Equal(1, status.Status!.ObservedGeneration);
        Assert.Equal(("False", "WaitingForDatabase"), (ConditionOf(status, "Ready").Status, ConditionOf(status, "Ready").Reason));
        Assert.Equal("True", ConditionOf(status, "Reconciling").Status);
        Assert.Equal("False", ConditionOf(status, "MigrationsComplete").Status);
        Assert.Equal("0/2", status.Status.Proxies);
    }

    [Fact]
    public async Task A_converged_gateway_is_reconciled_without_a_single_write()
    {
        var gw = Gateways.New();
        cache.AddConverged(gw);
        gw.Status = (await ReconcileOnceAsync(gw)).Status;
        created.Clear();
        patched.Clear();
        statuses.Clear();
        events.Clear();

        await controller.ReconcileAsync(gw, CancellationToken.None);

        Assert.Empty(created);
        Assert.Empty(patched);
        Assert.Empty(statuses);
        Assert.Empty(events);
        Assert.Equal(("True", "2 of 2 proxies ready"), (ConditionOf(gw, "Ready").Status, ConditionOf(gw, "Ready").Message));
    }

    [Fact]
    public async Task Drift_in_a_child_is_repaired_by_applying_the_desired_fields()
    {
        var gw = Gateways.New();
        cache.AddConverged(gw);
        var redis = cache.Find<V1Deployment>("shop", "edge-redis")!;
        redis.Spec.Template.Spec.Containers[0].Image = "redis:6";
        redis.Metadata.ResourceVersion = "77";
        cache.Put(redis);

        await controller.ReconcileAsync(gw, CancellationToken.None);

        var (type, name, patch) = Assert.Single(patched);
        Assert.Equal((typeof(V1Deployment), "edge-redis"), (type, name));
        Assert.Equal("redis:7-alpine", (string?)patch["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
    }

    [Fact]
    public async Task A_new_version_runs_its_migration_job_before_the_proxies_change()
    {
        var gw = Gateways.New();
        cache.AddConverged(gw);
        gw.Spec.Version = "0.2.0";
        gw.Metadata.Generation = 2;

        var result = await ReconcileOnceAsync(gw);

        var job = Assert.Single(created.OfType<V1Job>());
        Assert.Equal("ghcr.io/tollgate/gateway:0.2.0", job.Spec.Template.Spec.Containers[0].Image);
        Assert.DoesNotContain(patched, p => p.Type == typeof(V1Deployment) && p.Name == "edge-proxy");
        Assert.Equal(("False", "Migrating"), (ConditionOf(result, "MigrationsComplete").Status, ConditionOf(result, "MigrationsComplete").Reason));
        Assert.Equal("WaitingForMigrations", ConditionOf(result, "ProxyAvailable").Reason);
        Assert.Equal("0.1.0", result.Status!.Version);

        var finished = cache.Find<V1Job>("shop", job.Metadata.Name!) ?? job;
        finished.Status = new() { Succeeded = 1, Conditions = [new() { Type = "Complete", Status = "True" }] };
        cache.Put(finished);
        await controller.ReconcileAsync(gw, CancellationToken.None);

        var rollout = Assert.Single(patched, p => p.Type == typeof(V1Deployment) && p.Name == "edge-proxy");
        Assert.Equal("ghcr.io/tollgate/gateway:0.2.0", (string?)rollout.Patch["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
    }

    [Fact]
    public async Task A_failed_migration_job_stalls_the_gateway_with_the_jobs_reason()
    {
        var gw = Gateways.New();
        cache.AddConverged(gw);
        var job = cache.Find<V1Job>("shop", GatewayNames.MigrationJob(gw))!;
        job.Status = new() { Failed = 5, Conditions = [new() { Type = "Failed", Status = "True", Reason = "BackoffLimitExceeded", Message = "Job has reached the specified backoff limit" }] };
        cache.Put(job);

        var result = await ReconcileOnceAsync(gw);

        var stalled = ConditionOf(result, "Stalled");
        Assert.Equal(("True", "BackoffLimitExceeded"), (stalled.Status, stalled.Reason));
        Assert.Contains("Job has reached the specified backoff limit", stalled.Message);
        Assert.Equal("False", ConditionOf(result, "Ready").Status);
        Assert.Contains(events, e => e.Reason == "BackoffLimitExceeded");
    }

    [Fact]
    public async Task A_child_name_taken_by_another_owner_is_reported_not_overwritten()
    {
        var gw = Gateways.New();
        cache.Put(new V1ServiceAccount { Metadata = new() { Name = "edge-proxy", NamespaceProperty = "shop", ResourceVersion = "1" } });

        var result = await ReconcileOnceAsync(gw);

        Assert.Empty(created);
        Assert.Empty(patched);
        Assert.Equal("NameTaken", ConditionOf(result, "Stalled").Reason);
        Assert.Contains("ServiceAccount edge-proxy already exists and belongs to no owner", ConditionOf(result, "Stalled").Message);
    }

    [Fact]
    public async Task A_missing_external_secret_is_waited_for_and_checked_again_later()
    {
        var gw = Gateways.New(configure: s =>
        {
            s.Database.Mode = DatabaseMode.External;
            s.Database.External = new() { ConnectionSecretRef = new() { Name = "shop-db" } };
        });

        var result = await controller.ReconcileAsync(gw, CancellationToken.None);

        Assert.Equal(ApiGatewayController.ExternalRecheck, result.RequeueAfter);
        var status = Assert.Single(statuses);
        Assert.Equal(("SecretNotFound", "Secret shop-db for the external database does not exist"), (ConditionOf(status, "DatabaseReady").Reason, ConditionOf(status, "DatabaseReady").Message));
        Assert.DoesNotContain(created, o => o is V1StatefulSet);
    }

    [Theory]
    [InlineData(RedisMode.External)]
    [InlineData(RedisMode.Disabled)]
    public async Task Only_a_managed_redis_gets_a_generated_password_and_a_network_policy(RedisMode mode)
    {
        var gw = Gateways.New(configure: s =>
        {
            s.Redis.Mode = mode;
            if (mode == RedisMode.External)
                s.Redis.External = new() { ConnectionSecretRef = new() { Name = "shop-redis" } };
        });

        await controller.ReconcileAsync(gw, CancellationToken.None);

        Assert.DoesNotContain(created, o => o.Metadata.Name == "edge-redis");
        Assert.Contains(created, o => o is V1NetworkPolicy && o.Metadata.Name == "edge-postgres");
    }

    async Task<ApiGateway> ReconcileOnceAsync(ApiGateway gw)
    {
        await controller.ReconcileAsync(gw, CancellationToken.None);
        return statuses.Count > 0 ? statuses[^1] : gw;
    }
}

/// <summary>Matches any Kubernetes object type in a generic setup (Moq's It.IsAnyType does not meet the constraints).</summary>
[TypeMatcher]
[KubernetesEntity(Kind = "Any", PluralName = "any")]
sealed class AnyObject : IKubernetesObject<V1ObjectMeta>, ITypeMatcher
{
    public string ApiVersion { get; set; } = "v1";
    public string Kind { get; set; } = "Any";
    public V1ObjectMeta Metadata { get; set; } = new();

    public bool Matches(Type typeArgument) => typeof(IKubernetesObject<V1ObjectMeta>).IsAssignableFrom(typeArgument);
}

/// <summary>An <see cref="IObjectCache"/> over a dictionary, filled with what a converged cluster would hold.</summary>
sealed class DictionaryCache : IObjectCache
{
    readonly Dictionary<(Type, string?, string), IKubernetesObject<V1ObjectMeta>> objects = [];

    public void Put(IKubernetesObject<V1ObjectMeta> obj) => objects[(obj.GetType(), obj.Metadata.NamespaceProperty, obj.Metadata.Name!)] = obj;

    public T? Find<T>(string? ns, string name) where T : class, IKubernetesObject<V1ObjectMeta> => (T?)Find(typeof(T), ns, name);

    public IKubernetesObject<V1ObjectMeta>? Find(Type type, string? ns, string name) => objects.GetValueOrDefault((type, ns, name));

    public T? Get<T>(string? ns, string name) where T : class, IKubernetesObject<V1ObjectMeta> =>
        Find<T>(ns, name) is { } found ? ObjectJson.Clone(found) : null;

    public IReadOnlyList<T> List<T>(string? ns) where T : class, IKubernetesObject<V1ObjectMeta> =>
        objects.Values.OfType<T>().Where(o => ns is null || o.Metadata.NamespaceProperty == ns).Select(ObjectJson.Clone).ToList();

    /// <summary>Every child as the builders make it, with the statuses the kubelet and controllers would report.</summary>
    public void AddConverged(ApiGateway gw)
    {
        var version = 1;
        T Stored<T>(T obj) where T : IKubernetesObject<V1ObjectMeta>
        {
            ChildWriter.Applied(obj);
            obj.Metadata.ResourceVersion = (version++).ToString();
            obj.Metadata.Generation = 1;
            Put(obj);
            return obj;
        }
        Stored(IdentityBuilder.ServiceAccount(gw));
        Stored(SecretBuilder.AdminToken(gw, "token"));
        Stored(SecretBuilder.PostgresCredentials(gw, "password"));
        Stored(SecretBuilder.RedisCredentials(gw, "password"));
        Stored(NetworkPolicyBuilder.Postgres(gw));
        Stored(NetworkPolicyBuilder.Redis(gw));
        Stored(NetworkPolicyBuilder.Proxy(gw, "tollgate-system"));
        Stored(PostgresBuilder.HeadlessService(gw));
        Stored(PostgresBuilder.StatefulSet(gw)).Status = new() { ObservedGeneration = 1, ReadyReplicas = 1, Replicas = 1 };
        Stored(MigrationJobBuilder.Job(gw)).Status = new() { Succeeded = 1, Conditions = [new() { Type = "Complete", Status = "True" }] };
        Stored(RedisBuilder.Deployment(gw)).Status = Available(1);
        Stored(RedisBuilder.Service(gw));
        Stored(ProxyBuilder.Deployment(gw, GatewayNames.ProxyImage(gw))).Status = Available(gw.Spec.Proxy.Replicas);
        Stored(ProxyBuilder.ProxyService(gw));
        Stored(ProxyBuilder.AdminService(gw));
        Stored(ProxyBuilder.DisruptionBudget(gw));
        Stored(IngressClassBuilder.IngressClass(gw));
    }

    static V1DeploymentStatus Available(int replicas) => new()
    {
        ObservedGeneration = 1, Replicas = replicas, UpdatedReplicas = replicas, ReadyReplicas = replicas, AvailableReplicas = replicas,
        Conditions = [new() { Type = "Available", Status = "True" }],
    };
}
