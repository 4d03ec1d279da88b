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
    public KubernetesClient Client { get; }

    public static async Task<TestCluster> StartAsync()
    {
        var server = await KubeApiServer.KubeApiServer.StartAsync();
        server.Create("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, KubernetesJson.ToNode(CrdGenerator.For<ApiGateway>()));
        return new TestCluster(server);
    }

    /// <summary>Another client, as a second process would have.</summary>
    public KubernetesClient NewClient() => new(new ClusterConnection { Server = Server.Url, Namespace = "default" });

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
