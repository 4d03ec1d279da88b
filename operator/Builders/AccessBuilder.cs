using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes.Objects;

namespace Gateway.Operator.Builders;

/// <summary>
/// The identity the gateway's pods run under. The proxy does not call the Kubernetes API, so no token is
/// mounted and the Role grants only reading the pod's own ApiGateway.
/// </summary>
public static class AccessBuilder
{
    public static ServiceAccount ServiceAccount(ApiGateway gw) => new()
    {
        Metadata = GatewayLabels.Metadata(gw, GatewayNames.Identity(gw), Components.Proxy),
        AutomountServiceAccountToken = false,
    };

    public static Role Role(ApiGateway gw) => new()
    {
        Metadata = GatewayLabels.Metadata(gw, GatewayNames.Identity(gw), Components.Proxy),
        Rules =
        [
            new()
            {
                ApiGroups = [ApiGateway.Group],
                Resources = ["apigateways"],
                ResourceNames = [gw.Metadata.Name!],
                Verbs = ["get"],
            },
        ],
    };

    public static RoleBinding RoleBinding(ApiGateway gw) => new()
    {
        Metadata = GatewayLabels.Metadata(gw, GatewayNames.Identity(gw), Components.Proxy),
        RoleRef = new() { Kind = "Role", Name = GatewayNames.Identity(gw) },
        Subjects = [new() { Name = GatewayNames.Identity(gw), Namespace = gw.Metadata.Namespace }],
    };
}
