using Gateway.Operator.Builders;
using Gateway.Operator.Entities;
using Gateway.Operator.GatewayApi;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Gateway.Operator.Reconciliation;

/// <summary>
/// Keeps an ApiGateway for every Gateway of our class that names none, so that applying a GatewayClass, a Gateway
/// and an HTTPRoute is enough to get traffic; removes it when the Gateway names one after all, or leaves our class.
/// An ApiGateway of the Gateway's name that someone else made is left alone (the Gateway's status says so).
/// </summary>
[EntityRbac(typeof(ApiGateway), Verbs = RbacVerb.Create | RbacVerb.Delete)]
public sealed class GatewayProvisioner(IKubernetesClient client, IObjectCache cache, ILogger<GatewayProvisioner> logger) : IEntityController<KubernetesGateway>
{
    public async Task<ReconciliationResult<KubernetesGateway>> ReconcileAsync(KubernetesGateway gateway, CancellationToken cancel)
    {
        var ns = gateway.Metadata.NamespaceProperty;
        var name = gateway.Metadata.Name;
        var existing = cache.Get<ApiGateway>(ns, name);
        var owned = existing is not null && GatewayApiGatewayBuilder.BelongsTo(existing, gateway);
        var ourClass = GatewayBinding.OurClass(gateway, cache.List<GatewayClass>(null));
        if (ourClass is null || GatewayBinding.Named(gateway, ourClass) is not null)
        {
            if (owned)
            {
                await client.DeleteAsync<ApiGateway>(name, ns, cancel);
                logger.LogInformation("Gateway {Namespace}/{Name} no longer needs the ApiGateway made for it; deleted", ns, name);
            }
            return ReconciliationResult<KubernetesGateway>.Success(gateway);
        }
        if (existing is not null && !owned)
            return ReconciliationResult<KubernetesGateway>.Success(gateway);

        var desired = GatewayApiGatewayBuilder.For(gateway);
        if (owned && Same(existing!.Spec, desired.Spec))
            return ReconciliationResult<KubernetesGateway>.Success(gateway);
        EntityInfo.WithTypeMeta(desired);
        await client.ApplyAsync(desired, ChildWriter.FieldManager, force: true, cancel);
        logger.LogInformation("Gateway {Namespace}/{Name}: ApiGateway {Name} applied for it", ns, name, name);
        return ReconciliationResult<KubernetesGateway>.Success(gateway);
    }

    // What the builder sets; everything else a user may have changed on the ApiGateway stays theirs.
    static bool Same(ApiGatewaySpec current, ApiGatewaySpec desired) =>
        current.Ingress.ClassName == desired.Ingress.ClassName
        && current.Proxy.Service.Port == desired.Proxy.Service.Port
        && current.Proxy.Service.TlsPort == desired.Proxy.Service.TlsPort
        && current.Proxy.Tls?.SecretName == desired.Proxy.Tls?.SecretName;

    /// <summary>Nothing to do: the ApiGateway made for the Gateway goes with it through its owner reference.</summary>
    public Task<ReconciliationResult<KubernetesGateway>> DeletedAsync(KubernetesGateway gateway, CancellationToken cancel) =>
        Task.FromResult(ReconciliationResult<KubernetesGateway>.Success(gateway));
}
