using Gateway.Operator.Entities;
using Gateway.Operator.GatewayApi;

namespace Gateway.Operator.Builders;

/// <summary>
/// The ApiGateway the operator creates for a Gateway that names none (no parametersRef on the Gateway nor on its
/// class), so that a GatewayClass, a Gateway and an HTTPRoute are enough to get traffic. It has the Gateway's name,
/// is owned by the Gateway (and goes with it), serves on the ports of the Gateway's first HTTP and HTTPS listeners,
/// and keeps an IngressClass of its own name so that it never claims another gateway's.
/// </summary>
public static class GatewayApiGatewayBuilder
{
    public static ApiGateway For(KubernetesGateway gateway)
    {
        var spec = new ApiGatewaySpec { Ingress = new() { ClassName = IngressClassName(gateway) } };
        var listeners = gateway.Spec.Listeners ?? [];
        if (listeners.FirstOrDefault(l => l.Protocol == "HTTP") is { } http)
            spec.Proxy.Service.Port = http.Port;
        if (listeners.FirstOrDefault(l => l.Protocol == "HTTPS") is { } https)
        {
            spec.Proxy.Service.TlsPort = https.Port;
            // The TLS listener needs a default certificate; the first of the Gateway's own namespace serves as one.
            if (https.Tls?.CertificateRefs?.FirstOrDefault(r => r.Namespace is null || r.Namespace == gateway.Metadata.NamespaceProperty) is { } certificate)
                spec.Proxy.Tls = new ProxyTlsSpec { SecretName = certificate.Name };
        }
        return new ApiGateway
        {
            Metadata = new()
            {
                Name = gateway.Metadata.Name,
                NamespaceProperty = gateway.Metadata.NamespaceProperty,
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = GatewayApiBundle.Group + "/v1",
                        Kind = "Gateway",
                        Name = gateway.Metadata.Name,
                        Uid = gateway.Metadata.Uid,
                        // No blockOwnerDeletion: that would need the right to set finalizers on Gateways, which nothing else needs.
                        Controller = true,
                    },
                ],
            },
            Spec = spec,
        };
    }

    /// <summary><c>gateway-&lt;namespace&gt;-&lt;name&gt;</c>, at most 63 characters.</summary>
    public static string IngressClassName(KubernetesGateway gateway)
    {
        var name = $"gateway-{gateway.Metadata.NamespaceProperty}-{gateway.Metadata.Name}";
        return name.Length <= 63 ? name : name[..63].TrimEnd('-', '.');
    }

    /// <summary>Whether <paramref name="apiGateway"/> is the one the operator created for <paramref name="gateway"/>.</summary>
    public static bool BelongsTo(ApiGateway apiGateway, KubernetesGateway gateway) =>
        apiGateway.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Kind == "Gateway" && o.Uid == gateway.Metadata.Uid) == true;
}
