using System.Text.Json.Nodes;

namespace Gateway.Operator.Tests.Kubectl;

/// <summary>kubectl with a service account's token against a server that enforces RBAC: auth can-i and a refused request.</summary>
public sealed class KubectlAuthorizationTests
{
    [Fact]
    public async Task Auth_can_i_answers_from_the_service_accounts_role_and_refusals_are_forbidden()
    {
        // kubectl sends a bearer token only over TLS.
        await using var server = await KubeApiServer.KubeApiServer.StartAsync(KubeApiServer.TlsOptions.SelfSigned());
        server.Authorization = true;
        server.Create("rbac.authorization.k8s.io/v1", "Role", "default", JsonNode.Parse("""
            { "metadata": { "name": "operator" },
              "rules": [ { "apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get", "list", "watch"] },
                         { "apiGroups": ["apps"], "resources": ["deployments/status"], "verbs": ["update"] } ] }
            """)!.AsObject());
        server.Create("rbac.authorization.k8s.io/v1", "RoleBinding", "default", JsonNode.Parse("""
            { "metadata": { "name": "operator" },
              "roleRef": { "apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "operator" },
              "subjects": [ { "kind": "ServiceAccount", "name": "tollgate-operator", "namespace": "default" } ] }
            """)!.AsObject());
        using var kubectl = new KubectlRunner(server, server.IssueServiceAccountToken("default", "tollgate-operator"));

        Assert.Equal("yes", (await kubectl.SucceedAsync("auth", "can-i", "list", "deployments")).Trim());
        Assert.Equal("yes", (await kubectl.SucceedAsync("auth", "can-i", "update", "deployments", "--subresource=status")).Trim());
        var delete = await kubectl.RunAsync("auth", "can-i", "delete", "deployments");
        Assert.Equal(1, delete.ExitCode);
        Assert.Equal("no", delete.Stdout.Trim());
        var elsewhere = await kubectl.RunAsync("auth", "can-i", "list", "deployments", "-n", "kube-system");
        Assert.Equal("no", elsewhere.Stdout.Trim());

        Assert.Contains("No resources found in default namespace.", (await kubectl.RunAsync("get", "deployments")).Stderr);
        var refused = await kubectl.RunAsync("get", "deployments", "-n", "kube-system");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Error from server (Forbidden): deployments.apps is forbidden: User \"system:serviceaccount:default:tollgate-operator\" cannot list resource \"deployments\" in API group \"apps\" in the namespace \"kube-system\"", refused.Stderr);
    }

    [Fact]
    public async Task Kubectl_without_a_known_token_is_unauthorized()
    {
        // kubectl sends a bearer token only over TLS.
        await using var server = await KubeApiServer.KubeApiServer.StartAsync(KubeApiServer.TlsOptions.SelfSigned());
        server.Authorization = true;
        using var kubectl = new KubectlRunner(server, "unknown-token");

        var result = await kubectl.RunAsync("get", "configmaps");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error: You must be logged in to the server (the server has asked for the client to provide credentials)", result.Stderr);
    }
}
