using System.Security.Cryptography.X509Certificates;
using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Manifests;

namespace Gateway.Operator.Tests;

/// <summary>An in-memory API server with the operator's CRDs installed, and the operator's client pointed at it.</summary>
public sealed class TestCluster : IAsyncDisposable
{
    public const string ApiVersion = "tollgate.dev/v1alpha1";

    readonly KubeApiServer.TlsOptions? tls;

    TestCluster(KubeApiServer.KubeApiServer server, KubeApiServer.TlsOptions? tls)
    {
        Server = server;
        this.tls = tls;
        Client = NewClient();
    }

    public KubeApiServer.KubeApiServer Server { get; }
    public KubernetesApi Client { get; }

    /// <summary>Starts the server, over TLS with a self-signed certificate (which clients trust) when <paramref name="tls"/>.</summary>
    public static async Task<TestCluster> StartAsync(bool tls = false)
    {
        var options = tls ? KubeApiServer.TlsOptions.SelfSigned() : null;
        var server = await KubeApiServer.KubeApiServer.StartAsync(options);
        foreach (var crd in OperatorManifests.CustomResourceDefinitions())
            server.Create("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, ObjectJson.ToNode(crd));
        return new TestCluster(server, options);
    }

    /// <summary>The PEM of the certificate authority clients trust; null without TLS.</summary>
    public string? AuthorityPem => tls?.ServerCertificate.ExportCertificatePem();

    /// <summary>
    /// Another client, as a second process would have: the cluster administrator's, or the one <paramref name="token"/>
    /// authenticates.
    /// </summary>
    public KubernetesApi NewClient(string? token = null) =>
        new(new KubernetesClientConfiguration
        {
            Host = Server.Url.ToString(),
            Namespace = "default",
            AccessToken = token ?? Server.AdminToken,
            SslCaCerts = tls is null ? null : [X509CertificateLoader.LoadCertificate(tls.ServerCertificate.RawData)],
        });

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
