using System.Net;
using Gateway.KubeApiServer;
using Gateway.Operator.Kubernetes;

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

        using var client = new KubernetesApi(ClusterConfig.FromFile(kubeconfig));
        Assert.Equal("team-a", client.DefaultNamespace);
        Assert.NotNull(await client.GetAsync<V1Namespace>("default"));

        server.RequiredToken = "rotated";
        var refused = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetAsync<V1Namespace>("default"));
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
                client-certificate: client.crt
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
        // Relative paths are read from the kubeconfig's own directory, as kubectl reads them.
        Write("client.crt", TestCertificates.Pem(certificates.Client));
        Write("client.key", TestCertificates.KeyPem(certificates.Client));

        using var client = new KubernetesApi(ClusterConfig.FromFile(kubeconfig, "secure"));
        Assert.NotNull(await client.GetAsync<V1Namespace>("default"));
        Assert.Contains("CN=tollgate-operator", server.LastClientCertificateSubject);

        // The current context names a cluster the file does not have: one line that says which file.
        var missing = Assert.Throws<OperatorStartupException>(() => ClusterConfig.FromFile(kubeconfig));
        Assert.StartsWith($"kubeconfig {kubeconfig}: ", missing.Message);
        Assert.DoesNotContain('\n', missing.Message);
    }

    [Fact]
    public async Task A_server_certificate_from_another_authority_is_refused()
    {
        var trusted = new TestCertificates();
        var other = new TestCertificates();
        await using var server = await KubeApiServer.KubeApiServer.StartAsync(new TlsOptions { ServerCertificate = other.Server });
        var configuration = new KubernetesClientConfiguration { Host = server.Url.ToString(), SslCaCerts = [trusted.Authority] };

        using var client = new KubernetesApi(configuration);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync<V1Namespace>("default"));
    }

    [Fact]
    public async Task A_service_account_token_file_and_the_cluster_ca_are_used_as_in_a_pod()
    {
        // What the client's in-cluster configuration builds from the pod's service-account files.
        var certificates = new TestCertificates();
        await using var server = await KubeApiServer.KubeApiServer.StartAsync(new TlsOptions { ServerCertificate = certificates.Server });
        server.RequiredToken = "pod-token";
        var token = Write("token", "pod-token\n");
        var configuration = new KubernetesClientConfiguration
        {
            Host = server.Url.ToString(),
            TokenProvider = new k8s.Authentication.TokenFileAuth(token),
            SslCaCerts = [certificates.Authority],
            Namespace = "tollgate-system",
        };

        using var client = new KubernetesApi(configuration);

        Assert.Equal("tollgate-system", client.DefaultNamespace);
        Assert.NotNull(await client.GetAsync<V1Namespace>("default"));
    }

    [Fact]
    public void Without_any_configuration_startup_fails_with_one_line()
    {
        var error = Assert.Throws<OperatorStartupException>(() =>
            ClusterConfig.Detect(name => name == "KUBECONFIG" ? Path.Combine(directory, "absent") : null));
        Assert.Equal($"no cluster configuration: not in a pod and no kubeconfig at {Path.Combine(directory, "absent")} (set KUBECONFIG)", error.Message);
    }
}
