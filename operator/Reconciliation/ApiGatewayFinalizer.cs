using Gateway.Operator.Builders;
using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Kubernetes.Objects;
using Gateway.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Gateway.Operator.Reconciliation;

/// <summary>
/// Runs when an ApiGateway is deleted. Owner references remove the children; what they cannot reach is
/// the database volume, which a StatefulSet's claims outlive. It is deleted here when the spec asks for it.
/// </summary>
public sealed class ApiGatewayFinalizer(IKubernetesClient client, ILogger<ApiGatewayFinalizer> logger) : IEntityFinalizer<ApiGateway>
{
    public const string Name = "tollgate.dev/cleanup";

    public async Task<ReconciliationResult<ApiGateway>> FinalizeAsync(ApiGateway gateway, CancellationToken cancel)
    {
        if (gateway.Spec.Database.Mode != DatabaseMode.Managed || !gateway.Spec.Database.Managed.DeleteVolumeOnDelete)
            return ReconciliationResult<ApiGateway>.Success(gateway);

        var selector = $"{GatewayLabels.Instance}={gateway.Metadata.Name},{GatewayLabels.Component}={Components.Postgres}";
        var claims = await client.ListAsync<PersistentVolumeClaim>(gateway.Metadata.Namespace, selector, cancel);
        foreach (var claim in claims.Items)
        {
            await client.DeleteAsync<PersistentVolumeClaim>(claim.Metadata.Name!, claim.Metadata.Namespace, cancel);
            logger.LogInformation("deleted database volume claim {Namespace}/{Claim} of ApiGateway {Gateway}", claim.Metadata.Namespace, claim.Metadata.Name, gateway.Metadata.Name);
        }
        return ReconciliationResult<ApiGateway>.Success(gateway);
    }
}
