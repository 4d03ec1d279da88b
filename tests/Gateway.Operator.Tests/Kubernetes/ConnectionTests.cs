using System.Net;
using Gateway.KubeApiServer;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Kubernetes.Objects;

namespace Gateway.Operator.Tests.Kubernetes;

/// <summary>Kubeconfig and in-cluster configuration, checked by talking to a server that demands them.</summary>
public sealed class ConnectionTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("tollgate-kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    string Write(string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task A_kubeconfig_token_is_sent_as_a_bearer_token()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync();
        server.RequiredToken = "s3cret";
        var kubeconfig = server.WriteKubeconfig(Path.Combine(directory, "config"), ns: "team-a");

        using var client = new KubernetesClient(KubeconfigFile.Load(kubeconfig));
        Assert.Equal("team-a", client.DefaultNamespace);
        Assert.NotNull(await client.GetAsync<Namespace>("default"));

        server.RequiredToken = "rotated";
        var refused = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetAsync<Namespace>("default"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_kubeconfig_with_a_cluster_ca_and_a_client_certificate_connects_over_tls()
    {
        var certificates = new TestCertificates();
        await using var server = await KubeApiServer.KubeApiServer.StartAsync(new TlsOptions { ServerCertificate = certificates.Server, ClientAuthority = certificates.Authority });
        var kubeconfig = Write("config", $"""
            apiVersion: v1
            kind: Config
            current-context: other
            clusters:
            - name: secure
              cluster:
                server: {server.Url}
                certificate-authority-data: {TestCertificates.Base64(TestCertificates.Pem(certificates.Authority))}
            users:
            - name: operator
              user:
                client-certificate-data: {TestCertificates.Base64(TestCertificates.Pem(certificates.Client))}
                client-key: client.key
            contexts:
            - name: other
              context:
                cluster: nowhere
                user: nobody
            - name: secure
              context:
                cluster: secure
                user: operator
            """);
        Write("client.key", TestCertificates.KeyPem(certificates.Client));

        using var client = new KubernetesClient(KubeconfigFile.Load(kubeconfig, "secure"));
        Assert.NotNull(await client.GetAsync<Namespace>("default"));
        Assert.Contains("CN=tollgate-operator", server.LastClientCertificateSubject);

        var missing = Assert.Throws<OperatorStartupException>(() => KubeconfigFile.Load(kubeconfig));
        Assert.Equal($"kubeconfig {kubeconfig}: cluster 'nowhere' not found", missing.Message);
    }

    [Fact]
    public async Task A_server_certificate_from_another_authority_is_refused()
    {
        var trusted = new TestCertificates();
        var other = new TestCertificates();
        await using var server = await KubeApiServer.KubeApiServer.StartAsync(new TlsOptions { ServerCertificate = other.Server });
        var connection = new ClusterConnection { Server = server.Url, CertificateAuthorities = [trusted.Authority] };

        using var client = new KubernetesClient(connection);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync<Namespace>("default"));
    }

    [Fact]
    public async Task In_a_pod_the_service_account_token_ca_and_namespace_are_used()
    {
        var certificates = new TestCertificates();
        await using var server = await KubeApiServer.KubeApiServer.StartAsync(new TlsOptions { ServerCertificate = certificates.Server });
        server.RequiredToken = "pod-token";
        Write("token", "pod-token\n");
        Write("ca.crt", TestCertificates.Pem(certificates.Authority));
        Write("namespace", "tollgate-system");
        var environment = new Dictionary<string, string?>
        {
            ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1",
            ["KUBERNETES_SERVICE_PORT"] = server.Url.Port.ToString(),
        };

        var connection = InClusterConfig.Load(name => environment.GetValueOrDefault(name), directory);
        using var client = new KubernetesClient(connection);

        Assert.Equal($"https://127.0.0.1:{server.Url.Port}/", connection.Server.ToString());
        Assert.Equal("tollgate-system", client.DefaultNamespace);
        Assert.NotNull(await client.GetAsync<Namespace>("default"));
    }

    [Fact]
    public void Without_any_configuration_startup_fails_with_one_line()
    {
        var error = Assert.Throws<OperatorStartupException>(() =>
            ClusterConnection.Detect(name => name == "KUBECONFIG" ? Path.Combine(directory, "absent") : null));
        Assert.Equal($"no cluster configuration: not in a pod and no kubeconfig at {Path.Combine(directory, "absent")} (set KUBECONFIG)", error.Message);
    }
}
