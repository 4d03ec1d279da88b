using Gateway.Operator.Entities;

namespace Gateway.Operator.Builders;

/// <summary>
/// The identity the gateway's pods run under: their own ServiceAccount rather than the namespace's default
/// one, which other workloads may have been granted rights through. The pods never call the Kubernetes API,
/// so no token is mounted and nothing is bound to the account.
/// </summary>
public static class IdentityBuilder
{
    public static V1ServiceAccount ServiceAccount(ApiGateway gw) => new()
    {
        Metadata = GatewayLabels.Metadata(gw, GatewayNames.Identity(gw), Components.Proxy),
        AutomountServiceAccountToken = false,
    };
}
