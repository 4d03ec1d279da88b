using Gateway.Operator.Builders;
using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Gateway.Operator.Reconciliation;

/// <summary>
/// Keeps every child of an ApiGateway as its spec declares and reports what it sees in the status.
/// Level-based: each call reads the gateway and its children (from the caches) and converges them;
/// it never depends on which event caused the call. Proxies move to a new image only after that image's
/// migration Job has completed.
/// </summary>
// Patch: a finalizer an earlier version of the operator added is removed from the ApiGateway itself.
[EntityRbac(typeof(ApiGateway), Verbs = RbacVerb.Informer | RbacVerb.Patch)]
[EntityRbac(typeof(ApiGateway), Subresource = "status", Verbs = RbacVerb.Update)]
// Children carry an owner reference with blockOwnerDeletion, which the API server allows only to those who
// may update the owner's finalizers (the OwnerReferencesPermissionEnforcement admission plugin).
[EntityRbac(typeof(ApiGateway), Subresource = "finalizers", Verbs = RbacVerb.Update)]
// Children are read from the caches and written by ChildWriter with server-side apply: a patch, which the API server
// also authorizes as a create when it creates the object. A child the cache does not know is read by name first.
[EntityRbac(typeof(V1ServiceAccount), typeof(V1Service), typeof(V1Deployment), typeof(V1StatefulSet), typeof(V1PodDisruptionBudget), typeof(V1NetworkPolicy),
    Verbs = RbacVerb.Informer | RbacVerb.Create | RbacVerb.Get | RbacVerb.Patch)]
[EntityRbac(typeof(V1Job), Verbs = RbacVerb.Informer | RbacVerb.Create | RbacVerb.Get | RbacVerb.Delete)]
// The IngressClass a gateway serves: kept like the other children, removed with the gateway or when it changes class.
[EntityRbac(typeof(V1IngressClass), Verbs = RbacVerb.Informer | RbacVerb.Create | RbacVerb.Get | RbacVerb.Patch | RbacVerb.Delete)]
// Never listed or watched: generated credentials and the user's Secrets are read by name.
[EntityRbac(typeof(V1Secret), Verbs = RbacVerb.Get | RbacVerb.Create)]
public sealed class ApiGatewayController(
    IKubernetesClient client,
    IObjectCache cache,
    EventRecorder events,
    TimeProvider clock,
    ILogger<ApiGatewayController> logger,
    string operatorNamespace) : IEntityController<ApiGateway>
{
    /// <summary>How soon to look again at something no watch will report (a user's Secret appearing).</summary>
    public static readonly TimeSpan ExternalRecheck = TimeSpan.FromSeconds(30);

    readonly ChildWriter children = new(client, cache);

    /// <summary>The last configuration sync of a gateway (by namespace/name), which its status summarises.</summary>
    public Func<string, Sync.SyncSummary?> Configuration { get; init; } = _ => null;

    /// <summary>Why part of what gateways could serve is not served now (null when nothing is missing).</summary>
    public Func<string?> Degraded { get; init; } = () => null;

    public async Task<ReconciliationResult<ApiGateway>> ReconcileAsync(ApiGateway gateway, CancellationToken cancel)
    {
        var errors = ApiGatewayValidation.Validate(gateway);
        if (errors.Count > 0)
        {
            await PublishAsync(gateway, new GatewayObservation { Generation = gateway.Metadata.Generation ?? 0, SpecErrors = errors }, cancel);
            return ReconciliationResult<ApiGateway>.Success(gateway);
        }

        GatewayObservation observed;
        try
        {
            observed = await ConvergeAsync(gateway, cancel);
        }
        catch (ChildConflictException conflict)
        {
            observed = new GatewayObservation { Generation = gateway.Metadata.Generation ?? 0, Stalled = (conflict.Reason, conflict.Message) };
        }
        catch (KubernetesInvalidException refused)
        {
            // The API server will not take the change (an immutable field such as the database volume size).
            observed = new GatewayObservation { Generation = gateway.Metadata.Generation ?? 0, Stalled = ("ChangeRefused", $"the API server refused a change to a child: {refused.Message}") };
        }
        await PublishAsync(gateway, observed, cancel);
        // A user's Secret appearing, or a class another gateway holds becoming free, is reported by no watch of ours.
        // Nor does the Gateway API's CRDs being installed.
        var waitsOnOthers = observed.Components.Any(c => c.Reason == "SecretNotFound") || observed.Stalled?.Reason == IngressClassTaken
                            || Degraded() is not null;
        return ReconciliationResult<ApiGateway>.Success(gateway, waitsOnOthers ? ExternalRecheck : null);
    }

    public async Task<ReconciliationResult<ApiGateway>> DeletedAsync(ApiGateway gateway, CancellationToken cancel)
    {
        logger.LogInformation("ApiGateway {Namespace}/{Name} deleted", gateway.Metadata.NamespaceProperty, gateway.Metadata.Name);
        // Everything else goes with its owner reference; the cluster-scoped IngressClass has none.
        foreach (var ingressClass in cache.List<V1IngressClass>(null).Where(c => IngressClassBuilder.BelongsTo(c, gateway)))
            await client.DeleteAsync<V1IngressClass>(ingressClass.Metadata.Name!, null, cancel);
        return ReconciliationResult<ApiGateway>.Success(gateway);
    }

    const string IngressClassTaken = "IngressClassTaken";

    /// <summary>
    /// Deletes the IngressClasses of gateways that no longer exist: a gateway deleted while no operator ran leaves its
    /// class behind, since nothing else removes a cluster-scoped object. Runs once the caches are filled.
    /// </summary>
    public async Task RemoveOrphanedIngressClassesAsync(CancellationToken cancel)
    {
        try
        {
            await RemoveOrphansAsync(cancel);
        }
        catch (Exception error) when (error is KubernetesApiException or HttpRequestException)
        {
            // Worth a line in the log, not the leadership: the next start tries again.
            logger.LogWarning("could not remove orphaned IngressClasses: {Error}", error.Message);
        }
    }

    async Task RemoveOrphansAsync(CancellationToken cancel)
    {
        foreach (var ingressClass in cache.List<V1IngressClass>(null))
        {
            if (ingressClass.Spec?.Controller != IngressClassBuilder.Controller || ingressClass.Spec.Parameters is not { Kind: "ApiGateway" } owner)
                continue;
            if (cache.Get<ApiGateway>(owner.NamespaceProperty, owner.Name) is null)
            {
                logger.LogInformation("IngressClass {Name} belongs to ApiGateway {Namespace}/{Gateway}, which is gone: deleting it", ingressClass.Metadata.Name, owner.NamespaceProperty, owner.Name);
                await client.DeleteAsync<V1IngressClass>(ingressClass.Metadata.Name!, null, cancel);
            }
        }
    }

    // The class the spec names, unless another gateway or another controller holds it; a class this gateway kept
    // under an earlier name goes.
    async Task IngressClassAsync(ApiGateway gw, CancellationToken cancel)
    {
        var name = gw.Spec.Ingress.ClassName;
        foreach (var earlier in cache.List<V1IngressClass>(null).Where(c => c.Metadata.Name != name && IngressClassBuilder.BelongsTo(c, gw)))
            await client.DeleteAsync<V1IngressClass>(earlier.Metadata.Name!, null, cancel);
        var existing = cache.Get<V1IngressClass>(null, name) ?? await client.GetAsync<V1IngressClass>(name, null, cancel);
        if (existing is not null && !IngressClassBuilder.BelongsTo(existing, gw))
        {
            var holder = existing.Spec?.Controller == IngressClassBuilder.Controller && existing.Spec.Parameters is { } parameters
                ? $"is served by ApiGateway {parameters.NamespaceProperty}/{parameters.Name}"
                : $"belongs to controller {existing.Spec?.Controller ?? "(none)"}";
            throw new ChildConflictException($"IngressClass {name} {holder}; choose another spec.ingress.className", IngressClassTaken);
        }
        await children.EnsureAsync(gw, IngressClassBuilder.IngressClass(gw), cancel);
    }

    async Task<GatewayObservation> ConvergeAsync(ApiGateway gw, CancellationToken cancel)
    {
        await children.EnsureAsync(gw, IdentityBuilder.ServiceAccount(gw), cancel);
        if (gw.Spec.AdminTokenSecretRef is null)
            await children.EnsureSecretAsync(gw, GatewayNames.AdminToken(gw), () => SecretBuilder.AdminToken(gw, SecretBuilder.NewCredential()), cancel);

        var database = await DatabaseAsync(gw, cancel);
        var redis = await RedisAsync(gw, cancel);
        var (migrations, stalled) = await MigrationsAsync(gw, database, cancel);
        var (proxy, deployment) = await ProxyAsync(gw, migrations.Ready, cancel);
        var service = await children.EnsureAsync(gw, ProxyBuilder.ProxyService(gw), cancel);
        await children.EnsureAsync(gw, ProxyBuilder.AdminService(gw), cancel);
        await children.EnsureAsync(gw, ProxyBuilder.DisruptionBudget(gw), cancel);
        if (proxy.Ready)
            await RemoveSupersededJobsAsync(gw, cancel);
        await IngressClassAsync(gw, cancel);

        return new GatewayObservation
        {
            Generation = gw.Metadata.Generation ?? 0,
            Components = [database, redis, migrations, proxy],
            Stalled = stalled,
            ReadyReplicas = deployment?.Status?.ReadyReplicas ?? 0,
            DesiredReplicas = gw.Spec.Proxy.Replicas,
            Endpoint = Endpoint(gw, service),
            Version = deployment?.Spec.Template.Spec.Containers.FirstOrDefault()?.Image.Split(':').LastOrDefault(),
        };
    }

    async Task<ComponentState> DatabaseAsync(ApiGateway gw, CancellationToken cancel)
    {
        const string condition = ComponentState.DatabaseReady;
        if (gw.Spec.Database.Mode == DatabaseMode.External)
            return await UserSecretAsync(condition, gw, gw.Spec.Database.External!.ConnectionSecretRef, "external database", cancel);

        await children.EnsureSecretAsync(gw, GatewayNames.Postgres(gw), () => SecretBuilder.PostgresCredentials(gw, SecretBuilder.NewCredential()), cancel);
        // Each policy is in place before the pods it guards start.
        await children.EnsureAsync(gw, NetworkPolicyBuilder.Postgres(gw), cancel);
        await children.EnsureAsync(gw, PostgresBuilder.HeadlessService(gw), cancel);
        var statefulSet = await children.EnsureAsync(gw, PostgresBuilder.StatefulSet(gw), cancel);
        var ready = statefulSet.Status?.ReadyReplicas ?? 0;
        return ready >= 1 && Observed(statefulSet.Status?.ObservedGeneration, statefulSet.Metadata.Generation)
            ? new(condition, true, "Ready", $"Postgres {GatewayNames.Postgres(gw)} is ready")
            : new(condition, false, "WaitingForDatabase", $"waiting for Postgres {GatewayNames.Postgres(gw)}: {ready} of 1 pods ready");
    }

    async Task<ComponentState> RedisAsync(ApiGateway gw, CancellationToken cancel)
    {
        const string condition = ComponentState.RedisReady;
        switch (gw.Spec.Redis.Mode)
        {
            case RedisMode.Disabled:
                return new(condition, true, "Disabled", "Redis is disabled: rate-limit counters stay in each proxy");
            case RedisMode.External:
                return await UserSecretAsync(condition, gw, gw.Spec.Redis.External!.ConnectionSecretRef, "external Redis", cancel);
        }
        await children.EnsureSecretAsync(gw, GatewayNames.Redis(gw), () => SecretBuilder.RedisCredentials(gw, SecretBuilder.NewCredential()), cancel);
        await children.EnsureAsync(gw, NetworkPolicyBuilder.Redis(gw), cancel);
        var deployment = await children.EnsureAsync(gw, RedisBuilder.Deployment(gw), cancel);
        await children.EnsureAsync(gw, RedisBuilder.Service(gw), cancel);
        return Available(deployment, 1)
            ? new(condition, true, "Ready", $"Redis {GatewayNames.Redis(gw)} is ready")
            : new(condition, false, "WaitingForRedis", $"waiting for Redis {GatewayNames.Redis(gw)}: {deployment.Status?.ReadyReplicas ?? 0} of 1 pods ready");
    }

    // A connection string the user keeps in a Secret: the operator can only check that it is there.
    async Task<ComponentState> UserSecretAsync(string condition, ApiGateway gw, SecretKeyReference reference, string what, CancellationToken cancel)
    {
        var key = reference.Key ?? "connection";
        var secret = await client.GetAsync<V1Secret>(reference.Name, gw.Metadata.NamespaceProperty, cancel);
        if (secret is null)
            return new(condition, false, "SecretNotFound", $"Secret {reference.Name} for the {what} does not exist");
        if (secret.Data?.ContainsKey(key) != true)
            return new(condition, false, "SecretNotFound", $"Secret {reference.Name} has no key '{key}' for the {what}");
        return new(condition, true, "External", $"uses the {what} in Secret {reference.Name}");
    }

    async Task<(ComponentState State, (string, string)? Stalled)> MigrationsAsync(ApiGateway gw, ComponentState database, CancellationToken cancel)
    {
        const string condition = ComponentState.MigrationsComplete;
        var image = GatewayNames.ProxyImage(gw);
        var name = GatewayNames.MigrationJob(gw);
        var job = cache.Get<V1Job>(gw.Metadata.NamespaceProperty, name);
        if (job is null)
        {
            if (!database.Ready)
                return (new(condition, false, "WaitingForDatabase", $"migrations for {image} wait for the database"), null);
            (job, var created) = await children.EnsureCreatedAsync(gw, name, () => MigrationJobBuilder.Job(gw), cancel);
            if (created)
                await events.RecordAsync(gw, EventType.Normal, "MigrationStarted", $"Job {name} migrates the database for {image}", cancel);
        }
        var conditions = job.Status?.Conditions ?? [];
        if ((job.Status?.Succeeded ?? 0) >= 1 || conditions.Any(c => c.Type == "Complete" && c.Status == "True"))
            return (new(condition, true, "Succeeded", $"database migrated for {image} by Job {name}"), null);
        if (conditions.FirstOrDefault(c => c.Type == "Failed" && c.Status == "True") is { } failed)
        {
            var reason = failed.Reason ?? "JobFailed";
            var message = $"migration Job {name} failed ({reason}): {failed.Message ?? "see its pod logs"}; fix the cause and delete the Job to retry";
            return (new(condition, false, reason, message), (reason, message));
        }
        return (new(condition, false, "Migrating", $"migrating the database for {image} (Job {name})"), null);
    }

    async Task<(ComponentState State, V1Deployment? V1Deployment)> ProxyAsync(ApiGateway gw, bool migrated, CancellationToken cancel)
    {
        const string condition = ComponentState.ProxyAvailable;
        var desiredImage = GatewayNames.ProxyImage(gw);
        var current = cache.Get<V1Deployment>(gw.Metadata.NamespaceProperty, GatewayNames.Proxy(gw));
        // Until the new image's migrations are done, proxies keep the image they run (or do not start).
        var image = migrated ? desiredImage : current?.Spec.Template.Spec.Containers.FirstOrDefault()?.Image;
        if (image is null)
            return (new(condition, false, "WaitingForMigrations", "proxies start once the database is migrated"), null);

        var token = GatewayEnvironment.AdminTokenSecret(gw);
        if (gw.Spec.AdminTokenSecretRef is not null && await client.GetAsync<V1Secret>(token.Name, gw.Metadata.NamespaceProperty, cancel) is null)
            return (new(condition, false, "SecretNotFound", $"admin token Secret {token.Name} does not exist"), current);

        await children.EnsureAsync(gw, NetworkPolicyBuilder.Proxy(gw, operatorNamespace), cancel);
        var deployment = await children.EnsureAsync(gw, ProxyBuilder.Deployment(gw, image), cancel);
        var desired = gw.Spec.Proxy.Replicas;
        var ready = deployment.Status?.ReadyReplicas ?? 0;
        if (image != desiredImage)
            return (new(condition, false, "WaitingForMigrations", $"{ready} of {desired} proxies ready on the previous image; {desiredImage} waits for its migrations"), deployment);
        return Available(deployment, desired)
            ? (new(condition, true, "Available", $"{ready} of {desired} proxies ready"), deployment)
            : (new(condition, false, "RollingOut", $"{ready} of {desired} proxies ready"), deployment);
    }

    // Once proxies run the new image, the Jobs of earlier images have nothing left to say.
    async Task RemoveSupersededJobsAsync(ApiGateway gw, CancellationToken cancel)
    {
        var current = GatewayNames.MigrationJob(gw);
        foreach (var job in cache.List<V1Job>(gw.Metadata.NamespaceProperty))
        {
            var labels = job.Metadata.Labels ?? new Dictionary<string, string>();
            if (job.Metadata.Name != current
                && labels.TryGetValue(GatewayLabels.Instance, out var instance) && instance == gw.Metadata.Name
                && labels.TryGetValue(GatewayLabels.Component, out var component) && component == Components.Migration
                && job.Metadata.OwnerReferences?.Any(o => o.Uid == gw.Metadata.Uid) == true)
            {
                await client.DeleteAsync<V1Job>(job.Metadata.Name!, job.Metadata.NamespaceProperty, cancel);
            }
        }
    }

    static bool Available(V1Deployment deployment, int desired)
    {
        var status = deployment.Status;
        return status is not null
            && Observed(status.ObservedGeneration, deployment.Metadata.Generation)
            && (status.UpdatedReplicas ?? 0) >= desired
            && (status.AvailableReplicas ?? 0) >= desired
            && (status.ReadyReplicas ?? 0) >= desired;
    }

    static bool Observed(long? observedGeneration, long? generation) => (observedGeneration ?? 0) >= (generation ?? 0);

    static string? Endpoint(ApiGateway gw, V1Service service)
    {
        var http = service.Spec.Ports.FirstOrDefault(p => p.Name == "http");
        var port = http?.Port ?? gw.Spec.Proxy.Service.Port;
        var ingress = service.Status?.LoadBalancer?.Ingress?.FirstOrDefault();
        if ((ingress?.Ip ?? ingress?.Hostname) is { } external)
            return $"{external}:{port}";
        if (service.Spec.Type == "LoadBalancer")
            return null; // until the cloud assigns an address
        if (service.Spec.Type == "NodePort" && http?.NodePort is { } nodePort)
            return $"<node>:{nodePort}";
        return $"{service.Metadata.Name}.{service.Metadata.NamespaceProperty}.svc:{port}";
    }

    async Task PublishAsync(ApiGateway gw, GatewayObservation observed, CancellationToken cancel)
    {
        var now = clock.GetUtcNow();
        observed = observed with { Configuration = Configuration(ObjectKey.Of(gw)), Degraded = Degraded() };
        var status = StatusBuilder.Build(observed, gw.Status, new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero));
        if (StatusBuilder.Same(gw.Status, status))
            return;
        var before = gw.Status;
        gw.Status = status;
        // Events follow a status that was written: a stale read (409) records nothing and is retried.
        await client.UpdateStatusAsync(gw, cancel);
        await RecordTransitionsAsync(gw, before, status, cancel);
    }

    // Events for what a person should notice, once per transition rather than once per reconcile.
    async Task RecordTransitionsAsync(ApiGateway gw, ApiGatewayStatus? before, ApiGatewayStatus after, CancellationToken cancel)
    {
        var wasReady = before?.Conditions.FirstOrDefault(c => c.Type == StatusBuilder.Ready);
        var ready = after.Conditions.First(c => c.Type == StatusBuilder.Ready);
        var stalled = after.Conditions.FirstOrDefault(c => c.Type == StatusBuilder.Stalled);
        var wasStalled = before?.Conditions.FirstOrDefault(c => c.Type == StatusBuilder.Stalled);
        if (stalled is not null && (wasStalled?.Message != stalled.Message))
            await events.RecordAsync(gw, EventType.Warning, stalled.Reason!, stalled.Message!, cancel);
        if (ready.Status == "True" && wasReady?.Status != "True")
            await events.RecordAsync(gw, EventType.Normal, "Ready", ready.Message!, cancel);
    }
}
