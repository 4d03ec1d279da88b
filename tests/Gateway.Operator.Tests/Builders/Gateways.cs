using Gateway.Operator.Entities;

namespace Gateway.Operator.Tests.Builders;

/// <summary>ApiGateways as the API server hands them to the operator (named, namespaced, with a uid).</summary>
static class Gateways
{
    public static ApiGateway New(string name = "edge", Action<ApiGatewaySpec>? configure = null)
    {
        var gateway = new ApiGateway
        {
            Metadata = new() { Name = name, NamespaceProperty = "shop", Uid = "3f1c-uid", Generation = 1 },
        };
        configure?.Invoke(gateway.Spec);
        return gateway;
    }
}
