using Gateway.Operator.Entities;

namespace Gateway.Operator.Builders;

/// <summary>
/// The IngressClass a gateway serves. It is cluster-scoped, so no owner reference can tie it to the namespaced
/// gateway: labels name the gateway instead, and the operator removes it when the gateway goes.
/// </summary>
public static class IngressClassBuilder
{
    /// <summary>The controller Ingresses of a Tollgate class are served by.</summary>
    public const string Controller = "tollgate.dev/ingress-controller";

    public static V1IngressClass IngressClass(ApiGateway gw)
    {
        var labels = GatewayLabels.For(gw, Components.Ingress);
        labels[GatewayLabels.GatewayNamespace] = gw.Metadata.NamespaceProperty!;
        return new()
        {
            Metadata = new() { Name = gw.Spec.Ingress.ClassName, Labels = labels },
            Spec = new()
            {
                Controller = Controller,
                Parameters = new()
                {
                    ApiGroup = ApiGateway.Group,
                    Kind = "ApiGateway",
                    Name = gw.Metadata.Name,
                    NamespaceProperty = gw.Metadata.NamespaceProperty,
                    Scope = "Namespace",
                },
            },
        };
    }

    /// <summary>Whether <paramref name="ingressClass"/> is the one <paramref name="gw"/> keeps.</summary>
    public static bool BelongsTo(V1IngressClass ingressClass, ApiGateway gw) =>
        ingressClass.Spec?.Controller == Controller
        && ingressClass.Spec.Parameters is { Kind: "ApiGateway" } parameters
        && parameters.Name == gw.Metadata.Name
        && parameters.NamespaceProperty == gw.Metadata.NamespaceProperty;
}
