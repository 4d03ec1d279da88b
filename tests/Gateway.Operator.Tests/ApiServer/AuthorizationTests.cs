using System.Net;
using System.Text.Json.Nodes;

namespace Gateway.Operator.Tests.ApiServer;

/// <summary>With authorization on, the server authenticates bearer tokens and enforces RBAC from the roles and bindings it holds.</summary>
public sealed class AuthorizationTests : ServerTest
{
    const string Operator = "system:serviceaccount:tollgate-system:tollgate-operator";
    const string Rbac = "rbac.authorization.k8s.io/v1";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Server.Authorization = true;
        Server.Create("v1", "Namespace", null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "tollgate-system" } });
    }

    static JsonObject Rule(string[] verbs, string group, string[] resources, string[]? names = null)
    {
        var rule = new JsonObject
        {
            ["apiGroups"] = new JsonArray((JsonNode)group),
            ["resources"] = new JsonArray(resources.Select(r => (JsonNode)r).ToArray()),
            ["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)v).ToArray()),
        };
        if (names is not null)
            rule["resourceNames"] = new JsonArray(names.Select(n => (JsonNode)n).ToArray());
        return rule;
    }

    void Role(string kind, string? ns, string name, params JsonObject[] rules) =>
        Server.Create(Rbac, kind, ns, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["rules"] = new JsonArray(rules) });

    void Binding(string kind, string? ns, string name, string roleKind, string role, JsonObject subject) =>
        Server.Create(Rbac, kind, ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = roleKind, ["name"] = role },
            ["subjects"] = new JsonArray(subject),
        });

    static JsonObject ServiceAccount(string ns, string name) => new() { ["kind"] = "ServiceAccount", ["name"] = name, ["namespace"] = ns };

    static JsonObject Subject(string kind, string name) => new() { ["kind"] = kind, ["apiGroup"] = "rbac.authorization.k8s.io", ["name"] = name };

    RawApi As(string token) => new(Server.Url, token);

    void SeedWorkloads()
    {
        Server.Create("apps/v1", "Deployment", "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "nginx:1.27" }) },
                },
            },
        });
        foreach (var name in new[] { "settings", "other" })
            Server.Create("v1", "ConfigMap", "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });
    }

    static void Forbidden((HttpStatusCode Code, JsonObject Body) response, string message)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.Code);
        Assert.Equal("Forbidden", (string?)response.Body["reason"]);
        Assert.Equal(message, (string?)response.Body["message"]);
    }

    [Fact]
    public async Task A_request_without_a_known_token_is_unauthorized()
    {
        using var stranger = As("not-a-token");
        foreach (var client in new[] { Api, stranger })
        {
            var (code, body) = await client.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps");
            Assert.Equal(HttpStatusCode.Unauthorized, code);
            Assert.Equal("Unauthorized", (string?)body["reason"]);
            Assert.Equal(401, (int)body["code"]!);
        }
    }

    [Fact]
    public async Task A_role_binding_grants_exactly_what_its_role_says_in_its_namespace()
    {
        SeedWorkloads();
        Role("Role", "default", "operator",
            Rule(["get", "list", "watch"], "apps", ["deployments"]),
            Rule(["update"], "apps", ["deployments/status"]),
            Rule(["get", "update"], "", ["configmaps"], ["settings"]));
        Binding("RoleBinding", "default", "operator", "Role", "operator", ServiceAccount("tollgate-system", "tollgate-operator"));
        using var client = As(Server.IssueServiceAccountToken("tollgate-system", "tollgate-operator"));

        await client.OkAsync(HttpMethod.Get, "/apis/apps/v1/namespaces/default/deployments");
        var web = await client.OkAsync(HttpMethod.Get, "/apis/apps/v1/namespaces/default/deployments/web");
        web["status"] = new JsonObject { ["replicas"] = 1 };
        await client.OkAsync(HttpMethod.Put, "/apis/apps/v1/namespaces/default/deployments/web/status", web);
        await client.OkAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps/settings");

        var listElsewhere = await client.SendAsync(HttpMethod.Get, "/apis/apps/v1/namespaces/kube-system/deployments");
        Forbidden(listElsewhere,
            $"deployments.apps is forbidden: User \"{Operator}\" cannot list resource \"deployments\" in API group \"apps\" in the namespace \"kube-system\"");
        Assert.Equal("apps", (string?)listElsewhere.Body["details"]!["group"]);
        Assert.Equal("deployments", (string?)listElsewhere.Body["details"]!["kind"]);
        Forbidden(await client.SendAsync(HttpMethod.Delete, "/apis/apps/v1/namespaces/default/deployments/web"),
            $"deployments.apps \"web\" is forbidden: User \"{Operator}\" cannot delete resource \"deployments\" in API group \"apps\" in the namespace \"default\"");
        Forbidden(await client.SendAsync(HttpMethod.Put, "/apis/apps/v1/namespaces/default/deployments/web", web),
            $"deployments.apps \"web\" is forbidden: User \"{Operator}\" cannot update resource \"deployments\" in API group \"apps\" in the namespace \"default\"");
        Forbidden(await client.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps/other"),
            $"configmaps \"other\" is forbidden: User \"{Operator}\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"default\"");
        Forbidden(await client.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps"),
            $"configmaps is forbidden: User \"{Operator}\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\"");
        Forbidden(await client.SendAsync(HttpMethod.Get, "/api/v1/namespaces"),
            $"namespaces is forbidden: User \"{Operator}\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope");
        Assert.NotNull(Server.TryGet("apps/v1", "Deployment", "default", "web"));
    }

    [Fact]
    public async Task A_cluster_role_binding_grants_everywhere_and_a_role_binding_to_a_cluster_role_in_one_namespace()
    {
        Role("ClusterRole", null, "reader", Rule(["list"], "", ["namespaces", "pods"]));
        Binding("ClusterRoleBinding", null, "team-a-reads", "ClusterRole", "reader", Subject("Group", "team-a"));
        Role("ClusterRole", null, "secret-reader", Rule(["list"], "", ["secrets"]));
        Binding("RoleBinding", "default", "alice-secrets", "ClusterRole", "secret-reader", Subject("User", "alice"));
        using var bob = As(Server.IssueToken("bob", "team-a"));
        using var alice = As(Server.IssueToken("alice"));

        await bob.OkAsync(HttpMethod.Get, "/api/v1/namespaces");
        await bob.OkAsync(HttpMethod.Get, "/api/v1/pods");
        await bob.OkAsync(HttpMethod.Get, "/api/v1/namespaces/kube-system/pods");
        await alice.OkAsync(HttpMethod.Get, "/api/v1/namespaces/default/secrets");
        Forbidden(await alice.SendAsync(HttpMethod.Get, "/api/v1/namespaces/kube-system/secrets"),
            "secrets is forbidden: User \"alice\" cannot list resource \"secrets\" in API group \"\" in the namespace \"kube-system\"");
        Forbidden(await alice.SendAsync(HttpMethod.Get, "/api/v1/secrets"),
            "secrets is forbidden: User \"alice\" cannot list resource \"secrets\" in API group \"\" at the cluster scope");
        Forbidden(await alice.SendAsync(HttpMethod.Get, "/api/v1/namespaces"),
            "namespaces is forbidden: User \"alice\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope");
    }

    [Fact]
    public async Task A_binding_to_a_role_that_does_not_exist_says_so_in_the_refusal()
    {
        Binding("RoleBinding", "default", "dangling", "Role", "gone", Subject("User", "dave"));
        using var dave = As(Server.IssueToken("dave"));

        Forbidden(await dave.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods"),
            "pods is forbidden: User \"dave\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\": RBAC: role.rbac.authorization.k8s.io \"gone\" not found");
    }

    [Fact]
    public async Task Blocking_an_owners_deletion_needs_update_on_its_finalizers()
    {
        var owner = Server.Create("v1", "ConfigMap", "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "owner" } });
        Role("Role", "default", "writer", Rule(["create"], "", ["secrets"]));
        Binding("RoleBinding", "default", "writer", "Role", "writer", Subject("User", "erin"));
        using var erin = As(Server.IssueToken("erin"));
        JsonObject Owned(string name) => new()
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = "owner", ["uid"] = (string?)owner["metadata"]!["uid"], ["blockOwnerDeletion"] = true,
                }),
            },
        };

        Forbidden(await erin.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/secrets", Owned("blocked")),
            $"secrets \"blocked\" is forbidden: cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on: , {{v1 ConfigMap owner {owner["metadata"]!["uid"]} <nil> true}}");
        Assert.Null(Server.TryGet("v1", "Secret", "default", "blocked"));

        Role("Role", "default", "finalizers", Rule(["update"], "", ["configmaps/finalizers"], ["owner"]));
        Binding("RoleBinding", "default", "finalizers", "Role", "finalizers", Subject("User", "erin"));
        await erin.OkAsync(HttpMethod.Post, "/api/v1/namespaces/default/secrets", Owned("allowed"));
    }

    [Fact]
    public async Task Changing_an_objects_owner_references_needs_delete_on_it()
    {
        var owner = Server.Create("v1", "ConfigMap", "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "owner" } });
        Server.Create("v1", "Secret", "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "s" } });
        Role("Role", "default", "patcher", Rule(["patch"], "", ["secrets"]));
        Binding("RoleBinding", "default", "patcher", "Role", "patcher", Subject("User", "gina"));
        using var gina = As(Server.IssueToken("gina"));
        var adopt = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = "owner", ["uid"] = (string?)owner["metadata"]!["uid"] }),
            },
        };

        await gina.OkAsync(HttpMethod.Patch, "/api/v1/namespaces/default/secrets/s", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["a"] = "b" } } }, RawApi.MergePatch);
        Forbidden(await gina.SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/secrets/s", adopt, RawApi.MergePatch),
            "secrets \"s\" is forbidden: cannot set an ownerRef on a resource you can't delete: , <nil>");
        Assert.Null(Server.Get("v1", "Secret", "default", "s")["metadata"]!["ownerReferences"]);

        Role("Role", "default", "deleter", Rule(["delete"], "", ["secrets"], ["s"]));
        Binding("RoleBinding", "default", "deleter", "Role", "deleter", Subject("User", "gina"));
        await gina.OkAsync(HttpMethod.Patch, "/api/v1/namespaces/default/secrets/s", adopt, RawApi.MergePatch);
    }

    [Fact]
    public async Task An_apply_that_creates_needs_create_as_well_as_patch()
    {
        Role("Role", "default", "patcher", Rule(["patch"], "", ["configmaps"]));
        Binding("RoleBinding", "default", "patcher", "Role", "patcher", Subject("User", "frank"));
        using var frank = As(Server.IssueToken("frank"));
        var config = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "c" } };

        Forbidden(await frank.SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/c?fieldManager=frank", config, RawApi.Apply),
            "configmaps \"c\" is forbidden: ");
        Assert.Null(Server.TryGet("v1", "ConfigMap", "default", "c"));

        Server.Create("v1", "ConfigMap", "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "c" } });
        await frank.OkAsync(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/c?fieldManager=frank", config, RawApi.Apply);
    }

    [Fact]
    public async Task Granting_rights_one_does_not_hold_needs_escalate_and_binding_them_needs_bind()
    {
        Role("Role", "default", "role-writer",
            Rule(["create", "update"], "rbac.authorization.k8s.io", ["roles", "rolebindings"]),
            Rule(["get"], "", ["pods"]));
        Binding("RoleBinding", "default", "role-writer", "Role", "role-writer", Subject("User", "carol"));
        Role("Role", "default", "deleter", Rule(["delete", "get"], "", ["pods"]));
        using var carol = As(Server.IssueToken("carol", "auditors"));
        JsonObject NewRole(string name, params string[] verbs) => new()
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["rules"] = new JsonArray(Rule(verbs, "", ["pods"]), Rule(["list", "create"], "apps", ["deployments"])),
        };
        JsonObject NewBinding(string name, string role) => new()
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = role },
            ["subjects"] = new JsonArray(Subject("User", "mallory")),
        };
        const string Roles = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles";
        const string Bindings = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings";

        Forbidden(await carol.SendAsync(HttpMethod.Post, Roles, NewRole("wider", "get", "delete")),
            "roles.rbac.authorization.k8s.io \"wider\" is forbidden: user \"carol\" (groups=[\"auditors\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
            + "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}\n{APIGroups:[\"apps\"], Resources:[\"deployments\"], Verbs:[\"list\" \"create\"]}");
        Forbidden(await carol.SendAsync(HttpMethod.Post, Bindings, NewBinding("give-deleter", "deleter")),
            "rolebindings.rbac.authorization.k8s.io \"give-deleter\" is forbidden: user \"carol\" (groups=[\"auditors\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
            + "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}");
        var narrow = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "narrow" }, ["rules"] = new JsonArray(Rule(["get"], "", ["pods"])) };
        await carol.OkAsync(HttpMethod.Post, Roles, narrow);
        await carol.OkAsync(HttpMethod.Post, Bindings, NewBinding("give-narrow", "narrow"));

        Role("Role", "default", "escalator",
            Rule(["escalate"], "rbac.authorization.k8s.io", ["roles"]),
            Rule(["bind"], "rbac.authorization.k8s.io", ["roles"], ["deleter"]));
        Binding("RoleBinding", "default", "escalator", "Role", "escalator", Subject("User", "carol"));
        await carol.OkAsync(HttpMethod.Post, Roles, NewRole("wider", "get", "delete"));
        await carol.OkAsync(HttpMethod.Post, Bindings, NewBinding("give-deleter", "deleter"));
        Assert.Contains(Server.Accesses, a => a is { Verb: "bind", Resource: "roles", Name: "deleter" });
    }

    [Fact]
    public async Task Discovery_is_open_to_every_authenticated_user_and_the_admin_may_do_anything()
    {
        using var nobody = As(Server.IssueToken("nobody"));
        await nobody.OkAsync(HttpMethod.Get, "/api");
        await nobody.OkAsync(HttpMethod.Get, "/apis");
        await nobody.OkAsync(HttpMethod.Get, "/apis/apps/v1");
        await nobody.OkAsync(HttpMethod.Get, "/version");
        await nobody.OkAsync(HttpMethod.Get, "/openapi/v3");

        using var admin = As(Server.AdminToken);
        await admin.OkAsync(HttpMethod.Get, "/api/v1/namespaces");
        await admin.OkAsync(HttpMethod.Post, "/apis/rbac.authorization.k8s.io/v1/clusterroles", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "everything" },
            ["rules"] = new JsonArray(Rule(["*"], "*", ["*"])),
        });
    }

    [Fact]
    public async Task A_self_subject_access_review_answers_from_the_same_rules()
    {
        Role("Role", "default", "operator", Rule(["list"], "apps", ["deployments"]));
        Binding("RoleBinding", "default", "operator", "Role", "operator", ServiceAccount("tollgate-system", "tollgate-operator"));
        using var client = As(Server.IssueServiceAccountToken("tollgate-system", "tollgate-operator"));
        async Task<JsonObject> ReviewAsync(string verb, string ns) => (await client.OkAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SelfSubjectAccessReview",
            ["spec"] = new JsonObject { ["resourceAttributes"] = new JsonObject { ["namespace"] = ns, ["verb"] = verb, ["group"] = "apps", ["resource"] = "deployments" } },
        }))["status"]!.AsObject();

        var allowed = await ReviewAsync("list", "default");
        Assert.True((bool)allowed["allowed"]!);
        Assert.Equal("RBAC: allowed by RoleBinding \"operator/default\" of Role \"operator\" to ServiceAccount \"tollgate-operator/tollgate-system\"", (string?)allowed["reason"]);
        Assert.False((bool)(await ReviewAsync("delete", "default"))["allowed"]!);
        Assert.False((bool)(await ReviewAsync("list", "kube-system"))["allowed"]!);
    }
}
