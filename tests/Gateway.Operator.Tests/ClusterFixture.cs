using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Manifests;

namespace Gateway.Operator.Tests;

/// <summary>An in-memory API server with the ApiGateway CRD installed, and the operator's client pointed at it.</summary>
public sealed class TestCluster : IAsyncDisposable
{
    public const string ApiVersion = "tollgate.dev/v1alpha1";

    TestCluster(KubeApiServer.KubeApiServer server)
    {
        Server = server;
        Client = NewClient();
    }

    public KubeApiServer.KubeApiServer Server { get; }
    public KubernetesApi Client { get; }

    public static async Task<TestCluster> StartAsync()
    {
        var server = await KubeApiServer.KubeApiServer.StartAsync();
        server.Create("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, ObjectJson.ToNode(CrdGenerator.For<ApiGateway>()));
        return new TestCluster(server);
    }

    /// <summary>Another client, as a second process would have.</summary>
    public KubernetesApi NewClient() => new(new KubernetesClientConfiguration { Host = Server.Url.ToString(), Namespace = "default" });

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
