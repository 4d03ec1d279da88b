using Gateway.Operator.Builders;
using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;

namespace Gateway.Operator.Tests.Builders;

/// <summary>ApiGateway spec in, child object out: no server involved.</summary>
public class BuilderTests
{
    static readonly ApiGateway Edge = Gateways.New();

    static IEnumerable<IKubernetesObject<V1ObjectMeta>> AllChildren(ApiGateway gw) =>
    [
        IdentityBuilder.ServiceAccount(gw),
        SecretBuilder.PostgresCredentials(gw, "pw"), SecretBuilder.AdminToken(gw, "tok"), SecretBuilder.RedisCredentials(gw, "pw"),
        NetworkPolicyBuilder.Postgres(gw), NetworkPolicyBuilder.Redis(gw), NetworkPolicyBuilder.Proxy(gw, "tollgate-system"),
        PostgresBuilder.HeadlessService(gw), PostgresBuilder.StatefulSet(gw), MigrationJobBuilder.Job(gw),
        RedisBuilder.Deployment(gw), RedisBuilder.Service(gw),
        ProxyBuilder.Deployment(gw, GatewayNames.ProxyImage(gw)), ProxyBuilder.DisruptionBudget(gw),
        ProxyBuilder.ProxyService(gw), ProxyBuilder.AdminService(gw),
    ];

    static Dictionary<string, V1EnvVar> Env(V1Container container) => container.Env!.ToDictionary(e => e.Name);

    [Fact]
    public void Every_child_is_owned_by_the_gateway_labelled_and_in_its_namespace()
    {
        foreach (var child in AllChildren(Edge))
        {
            var owner = Assert.Single(child.Metadata.OwnerReferences!);
            Assert.Equal(("tollgate.dev/v1alpha1", "ApiGateway", "edge", "3f1c-uid", true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller == true));
            Assert.Equal("shop", child.Metadata.NamespaceProperty);
            Assert.Equal("edge", child.Metadata.Labels![GatewayLabels.Instance]);
            Assert.Equal("tollgate-operator", child.Metadata.Labels[GatewayLabels.ManagedBy]);
            Assert.StartsWith("edge-", child.Metadata.Name);
        }
    }

    [Fact]
    public void Children_are_named_as_documented()
    {
        Assert.Equal("edge-postgres", PostgresBuilder.StatefulSet(Edge).Metadata.Name);
        Assert.Equal("edge-redis", RedisBuilder.Deployment(Edge).Metadata.Name);
        Assert.Equal("edge-proxy", ProxyBuilder.Deployment(Edge, "x").Metadata.Name);
        Assert.Equal("edge-admin", ProxyBuilder.AdminService(Edge).Metadata.Name);
        Assert.Matches("^edge-migrate-[0-9a-f]{10}$", MigrationJobBuilder.Job(Edge).Metadata.Name);
    }

    [Fact]
    public void Builders_are_pure_the_same_spec_gives_the_same_objects()
    {
        var first = AllChildren(Edge).Select(ObjectJson.Serialize);
        var second = AllChildren(Gateways.New()).Select(ObjectJson.Serialize);
        Assert.Equal(first, second);
    }

    [Fact]
    public void The_migration_job_is_named_by_image_and_version_and_runs_migrate()
    {
        var upgraded = Gateways.New(configure: s => s.Version = "0.2.0");
        var otherRegistry = Gateways.New(configure: s => s.Proxy.Image = "registry.local/tollgate");
        var scaled = Gateways.New(configure: s => s.Proxy.Replicas = 9);

        Assert.NotEqual(GatewayNames.MigrationJob(Edge), GatewayNames.MigrationJob(upgraded));
        Assert.NotEqual(GatewayNames.MigrationJob(Edge), GatewayNames.MigrationJob(otherRegistry));
        Assert.Equal(GatewayNames.MigrationJob(Edge), GatewayNames.MigrationJob(scaled));

        var job = MigrationJobBuilder.Job(upgraded);
        var container = Assert.Single(job.Spec.Template.Spec.Containers);
        Assert.Equal("ghcr.io/tollgate/gateway:0.2.0", container.Image);
        Assert.Equal(["migrate"], container.Args!);
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        Assert.Contains("Host=edge-postgres.shop.svc;Port=5432;Username=tollgate;Password=$(TOLLGATE_PG_PASSWORD);Database=tollgate", Env(container)["GATEWAY_PG_CONNECTION"].Value);
        Assert.Equal("ghcr.io/tollgate/gateway:0.2.0", job.Metadata.Annotations![MigrationJobBuilder.ImageAnnotation]);
    }

    [Fact]
    public void The_proxy_deployment_follows_the_process_contract()
    {
        var deployment = ProxyBuilder.Deployment(Edge, "ghcr.io/tollgate/gateway:0.0.9");
        var pod = deployment.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        var env = Env(container);

        Assert.Equal("ghcr.io/tollgate/gateway:0.0.9", container.Image);
        Assert.Equal(["serve"], container.Args!);
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("0.0.0.0:8000", env["GATEWAY_PROXY_LISTEN"].Value);
        Assert.Equal("0.0.0.0:8001", env["GATEWAY_ADMIN_LISTEN"].Value);
        Assert.Equal("0.0.0.0:8100", env["GATEWAY_STATUS_LISTEN"].Value);
        Assert.Equal(("edge-admin-token", "token"), (env["GATEWAY_ADMIN_TOKEN"].ValueFrom!.SecretKeyRef!.Name, env["GATEWAY_ADMIN_TOKEN"].ValueFrom!.SecretKeyRef!.Key));
        Assert.Equal(("edge-redis", "password"), (env["TOLLGATE_REDIS_PASSWORD"].ValueFrom!.SecretKeyRef!.Name, env["TOLLGATE_REDIS_PASSWORD"].ValueFrom!.SecretKeyRef!.Key));
        Assert.Equal("edge-redis.shop.svc:6379,password=$(TOLLGATE_REDIS_PASSWORD)", env["GATEWAY_REDIS"].Value);
        // Kubernetes expands $(VAR) only from variables listed before it.
        Assert.True(container.Env!.ToList().FindIndex(e => e.Name == "TOLLGATE_REDIS_PASSWORD") < container.Env.ToList().FindIndex(e => e.Name == "GATEWAY_REDIS"));
        Assert.False(env.ContainsKey("GATEWAY_PROXY_TLS_LISTEN"));

        var statusPort = container.Ports!.Single(p => p.Name == "status").ContainerPort;
        Assert.Equal(8100, statusPort);
        Assert.Equal(("/healthz", "status"), (container.LivenessProbe!.HttpGet!.Path, container.LivenessProbe.HttpGet.Port.Value));
        Assert.Equal(("/readyz", "status"), (container.ReadinessProbe!.HttpGet!.Path, container.ReadinessProbe.HttpGet.Port.Value));

        // The cache is the only place the proxy writes, so the root filesystem can be read-only. The cache is
        // a directory the proxy creates inside the volume: an emptyDir's own root is open to every user.
        Assert.True(container.SecurityContext!.ReadOnlyRootFilesystem);
        Assert.True(pod.SecurityContext!.RunAsNonRoot);
        var cacheDirectory = env["GATEWAY_CACHE_DIR"].Value!;
        var cacheMount = container.VolumeMounts!.Single(m => m.MountPath == Path.GetDirectoryName(cacheDirectory));
        Assert.NotEqual(cacheMount.MountPath, cacheDirectory);
        Assert.NotNull(pod.Volumes!.Single(v => v.Name == cacheMount.Name).EmptyDir);

        Assert.Equal("0", deployment.Spec.Strategy!.RollingUpdate!.MaxUnavailable!.Value);
        Assert.Equal(GatewayLabels.Selector(Edge, "proxy"), deployment.Spec.Selector.MatchLabels);
    }

    [Fact]
    public void External_database_and_redis_come_from_the_named_secrets()
    {
        var gw = Gateways.New(configure: s =>
        {
            s.Database.Mode = DatabaseMode.External;
            s.Database.External = new() { ConnectionSecretRef = new() { Name = "pg", Key = "dsn" } };
            s.Redis.Mode = RedisMode.External;
            s.Redis.External = new() { ConnectionSecretRef = new() { Name = "cache" } };
        });
        var env = Env(ProxyBuilder.Deployment(gw, "img").Spec.Template.Spec.Containers[0]);

        Assert.Equal(("pg", "dsn"), (env["GATEWAY_PG_CONNECTION"].ValueFrom!.SecretKeyRef!.Name, env["GATEWAY_PG_CONNECTION"].ValueFrom!.SecretKeyRef!.Key));
        Assert.Equal(("cache", "connection"), (env["GATEWAY_REDIS"].ValueFrom!.SecretKeyRef!.Name, env["GATEWAY_REDIS"].ValueFrom!.SecretKeyRef!.Key));
        Assert.False(env.ContainsKey("TOLLGATE_PG_PASSWORD"));
        Assert.False(env.ContainsKey("TOLLGATE_REDIS_PASSWORD"));

        var withoutRedis = Gateways.New(configure: s => s.Redis.Mode = RedisMode.Disabled);
        Assert.DoesNotContain(ProxyBuilder.Deployment(withoutRedis, "img").Spec.Template.Spec.Containers[0].Env!, e => e.Name == "GATEWAY_REDIS");
    }

    [Fact]
    public void Tls_adds_the_tls_listener_and_the_services_tls_port()
    {
        var gw = Gateways.New(configure: s =>
        {
            s.Proxy.Tls = new() { SecretName = "edge-cert" };
            s.Proxy.Service = new() { Type = ServiceKind.NodePort, Port = 8080, NodePort = 30080, TlsNodePort = 30443, Annotations = new() { ["team"] = "edge" } };
        });
        var deployment = ProxyBuilder.Deployment(gw, "img");
        var service = ProxyBuilder.ProxyService(gw);

        Assert.Equal("0.0.0.0:8443", Env(deployment.Spec.Template.Spec.Containers[0])["GATEWAY_PROXY_TLS_LISTEN"].Value);
        Assert.Equal("/etc/tollgate/tls/tls.crt", Env(deployment.Spec.Template.Spec.Containers[0])["GATEWAY_PROXY_TLS_CERT"].Value);
        Assert.Equal("/etc/tollgate/tls/tls.key", Env(deployment.Spec.Template.Spec.Containers[0])["GATEWAY_PROXY_TLS_KEY"].Value);
        Assert.Equal("edge-cert", deployment.Spec.Template.Spec.Volumes!.Single(v => v.Name == "tls").Secret!.SecretName);
        Assert.Equal("NodePort", service.Spec.Type);
        Assert.Equal([("http", 8080, 30080), ("https", 443, 30443)], service.Spec.Ports.Select(p => (p.Name!, p.Port, p.NodePort!.Value)));
        Assert.Equal("edge", service.Metadata.Annotations!["team"]);
    }

    [Fact]
    public void A_cluster_ip_service_never_asks_for_node_ports()
    {
        var gw = Gateways.New(configure: s => s.Proxy.Service = new() { Type = ServiceKind.ClusterIP, NodePort = 30080 });
        Assert.All(ProxyBuilder.ProxyService(gw).Spec.Ports, p => Assert.Null(p.NodePort));
    }

    [Fact]
    public void Postgres_keeps_its_data_on_a_claim_of_the_requested_size_and_class()
    {
        var gw = Gateways.New(configure: s => s.Database.Managed = new() { StorageSize = "20Gi", StorageClassName = "fast", DeleteVolumeOnDelete = true });
        var statefulSet = PostgresBuilder.StatefulSet(gw);
        var claim = Assert.Single(statefulSet.Spec.VolumeClaimTemplates!);

        Assert.Equal("20Gi", claim.Spec.Resources.Requests!["storage"]);
        Assert.Equal("fast", claim.Spec.StorageClassName);
        Assert.Equal("Delete", statefulSet.Spec.PersistentVolumeClaimRetentionPolicy!.WhenDeleted);
        Assert.Equal("Retain", PostgresBuilder.StatefulSet(Edge).Spec.PersistentVolumeClaimRetentionPolicy!.WhenDeleted);
        Assert.Equal("edge-postgres", statefulSet.Spec.ServiceName);
        Assert.Equal("None", PostgresBuilder.HeadlessService(gw).Spec.ClusterIP);
        var password = statefulSet.Spec.Template.Spec.Containers[0].Env!.Single(e => e.Name == "POSTGRES_PASSWORD");
        Assert.Equal(("edge-postgres", "password"), (password.ValueFrom!.SecretKeyRef!.Name, password.ValueFrom.SecretKeyRef.Key));
    }

    [Fact]
    public void The_disruption_budget_follows_the_spec_and_the_pods_run_as_their_own_account_without_a_token()
    {
        var gw = Gateways.New(configure: s => s.Proxy.MaxUnavailable = 2);
        Assert.Equal("2", ProxyBuilder.DisruptionBudget(gw).Spec.MaxUnavailable!.Value);

        Assert.False(IdentityBuilder.ServiceAccount(gw).AutomountServiceAccountToken);
        foreach (var pod in new[] { ProxyBuilder.Deployment(gw, "img").Spec.Template, MigrationJobBuilder.Job(gw).Spec.Template,
                     PostgresBuilder.StatefulSet(gw).Spec.Template, RedisBuilder.Deployment(gw).Spec.Template })
            Assert.Equal(("edge-proxy", false), (pod.Spec.ServiceAccountName, pod.Spec.AutomountServiceAccountToken));
    }

    [Fact]
    public void Managed_redis_requires_the_generated_password_without_showing_it_on_a_command_line()
    {
        var container = Assert.Single(RedisBuilder.Deployment(Edge).Spec.Template.Spec.Containers);

        var password = Assert.Single(container.Env!);
        Assert.Equal(("REDIS_PASSWORD", "edge-redis", "password"), (password.Name, password.ValueFrom!.SecretKeyRef!.Name, password.ValueFrom.SecretKeyRef.Key));
        Assert.Equal(["sh", "-c"], container.Command!.Take(2));
        var script = container.Command[2];
        // Configuration on standard input: the password is never an argument of redis-server.
        Assert.StartsWith("exec redis-server - --save '' --appendonly no <<EOF\n", script);
        Assert.Contains("\nrequirepass $REDIS_PASSWORD\n", script);
        Assert.Null(container.Args);
        Assert.Equal("password", Assert.Single(SecretBuilder.RedisCredentials(Edge, "pw").StringData!).Key);
    }

    static IDictionary<string, string>? From(V1NetworkPolicyIngressRule rule, int peer) => rule.FromProperty![peer].PodSelector!.MatchLabels;

    static int[] Ports(V1NetworkPolicyIngressRule rule) => rule.Ports!.Select(p => int.Parse(p.Port!.Value)).ToArray();

    [Fact]
    public void Postgres_admits_only_the_proxies_and_the_migration_job_of_its_gateway()
    {
        var policy = NetworkPolicyBuilder.Postgres(Edge);

        Assert.Equal("edge-postgres", policy.Metadata.Name);
        Assert.Equal(PostgresBuilder.StatefulSet(Edge).Spec.Selector.MatchLabels, policy.Spec.PodSelector.MatchLabels);
        Assert.Equal(["Ingress"], policy.Spec.PolicyTypes!);
        var rule = Assert.Single(policy.Spec.Ingress!);
        Assert.Equal([5432], Ports(rule));
        Assert.All(rule.Ports!, p => Assert.Equal("TCP", p.Protocol));
        Assert.Equal(2, rule.FromProperty!.Count);
        Assert.All(rule.FromProperty, peer => Assert.Null(peer.NamespaceSelector));
        Assert.Equal(ProxyBuilder.Deployment(Edge, "img").Spec.Selector.MatchLabels, From(rule, 0));
        Assert.Equal(GatewayLabels.Selector(Edge, "migration"), From(rule, 1));
        Assert.All(GatewayLabels.Selector(Edge, "migration"), label => Assert.Equal(label.Value, MigrationJobBuilder.Job(Edge).Spec.Template.Metadata!.Labels![label.Key]));
    }

    [Fact]
    public void Redis_admits_only_the_proxies_of_its_gateway()
    {
        var policy = NetworkPolicyBuilder.Redis(Edge);

        Assert.Equal("edge-redis", policy.Metadata.Name);
        Assert.Equal(RedisBuilder.Deployment(Edge).Spec.Selector.MatchLabels, policy.Spec.PodSelector.MatchLabels);
        var rule = Assert.Single(policy.Spec.Ingress!);
        Assert.Equal([6379], Ports(rule));
        var peer = Assert.Single(rule.FromProperty!);
        Assert.Null(peer.NamespaceSelector);
        Assert.Equal(ProxyBuilder.Deployment(Edge, "img").Spec.Selector.MatchLabels, peer.PodSelector!.MatchLabels);
    }

    [Fact]
    public void The_proxies_take_traffic_and_scrapes_from_anywhere_and_admin_calls_only_from_the_operator()
    {
        var policy = NetworkPolicyBuilder.Proxy(Edge, "ops");

        Assert.Equal("edge-proxy", policy.Metadata.Name);
        Assert.Equal(ProxyBuilder.Deployment(Edge, "img").Spec.Selector.MatchLabels, policy.Spec.PodSelector.MatchLabels);
        Assert.Equal(["Ingress"], policy.Spec.PolicyTypes!);
        Assert.Equal(2, policy.Spec.Ingress!.Count);
        var open = policy.Spec.Ingress[0];
        Assert.Null(open.FromProperty);
        Assert.Equal([8000, 8100], Ports(open));
        var admin = policy.Spec.Ingress[1];
        Assert.Equal([8001], Ports(admin));
        var peer = Assert.Single(admin.FromProperty!);
        Assert.Equal(new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "ops" }, peer.NamespaceSelector!.MatchLabels);
        Assert.Equal(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "tollgate-operator" }, peer.PodSelector!.MatchLabels);

        var tls = NetworkPolicyBuilder.Proxy(Gateways.New(configure: s => s.Proxy.Tls = new() { SecretName = "cert" }), "ops");
        Assert.Equal([8000, 8443, 8100], Ports(tls.Spec.Ingress![0]));
    }

    [Fact]
    public void The_operator_selector_of_the_proxy_policy_matches_the_pods_of_the_generated_operator_deployment()
    {
        var manifests = Gateway.Operator.Manifests.OperatorManifests.Files();
        var peer = NetworkPolicyBuilder.Proxy(Edge, Gateway.Operator.Manifests.OperatorManifests.Namespace).Spec.Ingress![1].FromProperty![0];

        Assert.Contains($"  name: {peer.NamespaceSelector!.MatchLabels!["kubernetes.io/metadata.name"]}\n", manifests["manager/manager.yaml"]);
        var (key, value) = Assert.Single(peer.PodSelector!.MatchLabels!.ToList());
        Assert.Contains($"  template:\n    metadata:\n      labels:\n        {key}: {value}\n", manifests["manager/manager.yaml"]);
    }

    [Fact]
    public void Generated_credentials_are_random_and_safe_in_a_connection_string()
    {
        var first = SecretBuilder.NewCredential();
        Assert.NotEqual(first, SecretBuilder.NewCredential());
        Assert.Matches("^[0-9a-f]{48}$", first);
        Assert.Equal("s3cret", SecretBuilder.PostgresCredentials(Edge, "s3cret").StringData!["password"]);
        Assert.Equal("tok", SecretBuilder.AdminToken(Edge, "tok").StringData!["token"]);
        Assert.Equal("pw", SecretBuilder.RedisCredentials(Edge, "pw").StringData!["password"]);
        Assert.Equal("edge-redis", SecretBuilder.RedisCredentials(Edge, "pw").Metadata.Name);
    }
}
