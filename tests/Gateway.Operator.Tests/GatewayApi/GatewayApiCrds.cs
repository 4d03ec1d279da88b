using Gateway.Operator.GatewayApi;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Manifests;

namespace Gateway.Operator.Tests.GatewayApi;

/// <summary>
/// Stand-ins for the upstream Gateway API CRDs, generated from the operator's models, so the in-memory API server
/// serves the kinds. Users install the upstream bundle; these exist for tests only and are never shipped.
/// </summary>
public static class GatewayApiCrds
{
    public static readonly Type[] Kinds = [typeof(GatewayClass), typeof(KubernetesGateway), typeof(HttpRoute), typeof(ReferenceGrant)];

    public static IEnumerable<V1CustomResourceDefinition> Definitions() => Kinds.Select(CrdGenerator.For);

    public static void Install(KubeApiServer.KubeApiServer server)
    {
        foreach (var crd in Definitions())
            server.Create("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, ObjectJson.ToNode(crd));
    }
}
