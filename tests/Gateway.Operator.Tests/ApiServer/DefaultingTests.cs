using System.Net;
using System.Text.Json.Nodes;

namespace Gateway.Operator.Tests.ApiServer;

/// <summary>What the Server stores for a minimal built-in object: the defaults and canonical quantities a real cluster adds.</summary>
public sealed class DefaultingTests : ServerTest
{

    static JsonObject Template(JsonObject? container = null) => new()
    {
        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(container ?? new JsonObject { ["name"] = "web", ["image"] = "nginx:1.27" }),
        },
    };

    static JsonNode? At(JsonNode? node, string path) =>
        path.Split('.').Aggregate(node, (current, step) => int.TryParse(step, out var index) ? current?[index] : current?[step]);

    static void Expect(JsonObject obj, params (string Path, object Value)[] expectations)
    {
        foreach (var (path, value) in expectations)
            Assert.True(JsonNode.DeepEquals(JsonValue.Create(value), At(obj, path)), $"{path}: expected {value}, found {At(obj, path)?.ToJsonString() ?? "nothing"}");
    }

    [Fact]
    public async Task A_deployment_gets_the_pod_template_and_rollout_defaults()
    {
        var created = await Api.OkAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } },
                ["template"] = Template(new JsonObject
                {
                    ["name"] = "web",
                    ["image"] = "nginx:1.27",
                    ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 80 }),
                    ["env"] = new JsonArray(new JsonObject { ["name"] = "POD", ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.name" } } }),
                    ["readinessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["port"] = 80 } },
                    ["resources"] = new JsonObject
                    {
                        ["requests"] = new JsonObject { ["cpu"] = "1000m", ["memory"] = "1024Mi" },
                        ["limits"] = new JsonObject { ["memory"] = "1.5Gi", ["cpu"] = 2 },
                    },
                }),
            },
        });

        Expect(created,
            ("spec.replicas", 1), ("spec.revisionHistoryLimit", 10), ("spec.progressDeadlineSeconds", 600),
            ("spec.strategy.type", "RollingUpdate"), ("spec.strategy.rollingUpdate.maxSurge", "25%"), ("spec.strategy.rollingUpdate.maxUnavailable", "25%"),
            ("spec.template.spec.restartPolicy", "Always"), ("spec.template.spec.dnsPolicy", "ClusterFirst"),
            ("spec.template.spec.schedulerName", "default-scheduler"), ("spec.template.spec.terminationGracePeriodSeconds", 30));
        Assert.Equal(new JsonObject(), At(created, "spec.template.spec.securityContext"));
        var container = At(created, "spec.template.spec.containers.0")!.AsObject();
        Expect(container,
            ("imagePullPolicy", "IfNotPresent"), ("terminationMessagePath", "/dev/termination-log"), ("terminationMessagePolicy", "File"),
            ("ports.0.protocol", "TCP"), ("env.0.valueFrom.fieldRef.apiVersion", "v1"),
            ("readinessProbe.timeoutSeconds", 1), ("readinessProbe.periodSeconds", 10), ("readinessProbe.successThreshold", 1),
            ("readinessProbe.failureThreshold", 3), ("readinessProbe.httpGet.scheme", "HTTP"), ("readinessProbe.httpGet.path", "/"),
            ("resources.requests.cpu", "1"), ("resources.requests.memory", "1Gi"), ("resources.limits.memory", "1536Mi"), ("resources.limits.cpu", "2"));
        Assert.Null(At(created, "status"));
    }

    [Theory]
    [InlineData("nginx", "Always")]
    [InlineData("nginx:latest", "Always")]
    [InlineData("registry.local:5000/team/app", "Always")]
    [InlineData("nginx:1.27", "IfNotPresent")]
    [InlineData("registry.local:5000/team/app:v2", "IfNotPresent")]
    [InlineData("nginx@sha256:0a1b", "IfNotPresent")]
    public async Task Image_pull_policy_follows_the_tag(string image, string policy)
    {
        var pod = await Api.OkAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "p" },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = image }) },
        });
        Assert.Equal(policy, (string?)At(pod, "spec.containers.0.imagePullPolicy"));
    }

    [Fact]
    public async Task A_pod_gets_its_own_defaults_and_a_pending_status()
    {
        var pod = await Api.OkAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "p" },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "c", ["image"] = "busybox:1",
                    ["resources"] = new JsonObject { ["limits"] = new JsonObject { ["cpu"] = "500m", ["memory"] = "128Mi" } },
                }),
                ["volumes"] = new JsonArray(new JsonObject { ["name"] = "scratch" }, new JsonObject { ["name"] = "conf", ["configMap"] = new JsonObject { ["name"] = "c" } }),
            },
        });

        Expect(pod,
            ("spec.enableServiceLinks", true), ("spec.serviceAccountName", "default"),
            ("spec.containers.0.resources.requests.cpu", "500m"), ("spec.containers.0.resources.requests.memory", "128Mi"),
            ("spec.volumes.1.configMap.defaultMode", 420), ("status.phase", "Pending"), ("status.qosClass", "Guaranteed"));
        Assert.Equal(new JsonObject(), At(pod, "spec.volumes.0.emptyDir"));
    }

    [Fact]
    public async Task A_stateful_set_gets_its_update_and_retention_defaults_and_claim_templates_are_completed()
    {
        var created = await Api.OkAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/default/statefulsets", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "db" },
            ["spec"] = new JsonObject
            {
                ["serviceName"] = "db",
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } },
                ["template"] = Template(),
                ["volumeClaimTemplates"] = new JsonArray(new JsonObject
                {
                    ["metadata"] = new JsonObject { ["name"] = "data" },
                    ["spec"] = new JsonObject
                    {
                        ["accessModes"] = new JsonArray("ReadWriteOnce"),
                        ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "1024Mi" } },
                    },
                }),
            },
        });

        Expect(created,
            ("spec.replicas", 1), ("spec.podManagementPolicy", "OrderedReady"), ("spec.revisionHistoryLimit", 10),
            ("spec.updateStrategy.type", "RollingUpdate"), ("spec.updateStrategy.rollingUpdate.partition", 0),
            ("spec.persistentVolumeClaimRetentionPolicy.whenDeleted", "Retain"), ("spec.persistentVolumeClaimRetentionPolicy.whenScaled", "Retain"),
            ("spec.volumeClaimTemplates.0.spec.volumeMode", "Filesystem"), ("spec.volumeClaimTemplates.0.status.phase", "Pending"),
            ("spec.volumeClaimTemplates.0.spec.resources.requests.storage", "1Gi"),
            ("spec.template.spec.containers.0.imagePullPolicy", "IfNotPresent"));
    }

    [Fact]
    public async Task A_job_gets_its_defaults_and_a_generated_selector()
    {
        var template = Template();
        template["spec"]!["restartPolicy"] = "Never";
        var created = await Api.OkAsync(HttpMethod.Post, "/apis/batch/v1/namespaces/default/jobs", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "migrate" },
            ["spec"] = new JsonObject { ["template"] = template },
        });

        var uid = (string)created["metadata"]!["uid"]!;
        Expect(created,
            ("spec.backoffLimit", 6), ("spec.completions", 1), ("spec.parallelism", 1), ("spec.completionMode", "NonIndexed"),
            ("spec.suspend", false), ("spec.podReplacementPolicy", "TerminatingOrFailed"),
            ("spec.template.spec.restartPolicy", "Never"));
        var labels = At(created, "spec.template.metadata.labels")!.AsObject();
        Assert.Equal(uid, (string?)labels["batch.kubernetes.io/controller-uid"]);
        Assert.Equal("migrate", (string?)labels["batch.kubernetes.io/job-name"]);
        Assert.Equal(uid, (string?)labels["controller-uid"]);
        Assert.Equal("migrate", (string?)labels["job-name"]);
        Assert.Equal(uid, (string?)created["spec"]!["selector"]!["matchLabels"]!["batch.kubernetes.io/controller-uid"]);
        Assert.Equal("web", (string?)created["metadata"]!["labels"]!["app"]);
    }

    [Fact]
    public async Task A_job_whose_pods_would_restart_always_is_refused()
    {
        var (code, body) = await Api.SendAsync(HttpMethod.Post, "/apis/batch/v1/namespaces/default/jobs", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "migrate" },
            ["spec"] = new JsonObject { ["template"] = Template() },
        });

        Assert.Equal((HttpStatusCode)422, code);
        Assert.Equal("Job.batch \"migrate\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"", (string?)body["message"]);
    }

    [Fact]
    public async Task A_service_gets_its_addresses_and_traffic_defaults()
    {
        var created = await Api.OkAsync(HttpMethod.Post, "/api/v1/namespaces/default/services", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject
            {
                ["type"] = "LoadBalancer",
                ["selector"] = new JsonObject { ["app"] = "web" },
                ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }),
            },
        });

        var spec = created["spec"]!.AsObject();
        Expect(created,
            ("spec.sessionAffinity", "None"), ("spec.internalTrafficPolicy", "Cluster"), ("spec.externalTrafficPolicy", "Cluster"),
            ("spec.allocateLoadBalancerNodePorts", true), ("spec.ipFamilyPolicy", "SingleStack"), ("spec.ipFamilies.0", "IPv4"),
            ("spec.ports.0.protocol", "TCP"), ("spec.ports.0.targetPort", 80));
        Assert.Equal((string?)spec["clusterIP"], (string?)spec["clusterIPs"]![0]);
        Assert.NotNull(spec["ports"]![0]!["nodePort"]);

        // An update that leaves out what the Server assigned keeps it.
        var replaced = created.DeepClone().AsObject();
        replaced["spec"]!.AsObject().Remove("clusterIP");
        replaced["spec"]!.AsObject().Remove("clusterIPs");
        replaced["spec"]!["ports"]![0]!.AsObject().Remove("nodePort");
        var updated = await Api.OkAsync(HttpMethod.Put, "/api/v1/namespaces/default/services/web", replaced);
        Assert.Equal((string?)spec["clusterIP"], (string?)updated["spec"]!["clusterIP"]);
        Assert.Equal(spec["ports"]![0]!["nodePort"]!.ToJsonString(), updated["spec"]!["ports"]![0]!["nodePort"]!.ToJsonString());
    }

    [Fact]
    public async Task Secrets_are_opaque_and_claims_are_filesystems_pending_a_volume()
    {
        var secret = await Api.OkAsync(HttpMethod.Post, "/api/v1/namespaces/default/secrets", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "s" } });
        Assert.Equal("Opaque", (string?)secret["type"]);

        var claim = await Api.OkAsync(HttpMethod.Post, "/api/v1/namespaces/default/persistentvolumeclaims", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "data" },
            ["spec"] = new JsonObject
            {
                ["accessModes"] = new JsonArray("ReadWriteOnce"),
                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "2048Mi" } },
            },
        });
        Expect(claim, ("spec.volumeMode", "Filesystem"), ("status.phase", "Pending"), ("spec.resources.requests.storage", "2Gi"));
    }

    [Fact]
    public async Task A_value_that_is_not_a_quantity_is_refused_when_decoded()
    {
        var (code, body) = await Api.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "p" },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "c", ["image"] = "busybox:1",
                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["memory"] = "1GB" } },
                }),
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.StartsWith("Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression", (string?)body["message"]);
    }
}
