using Gateway.Operator.Entities;

namespace Gateway.Operator.GatewayApi;

/// <summary>
/// Which ApiGateway serves a Gateway: the one its <c>spec.infrastructure.parametersRef</c> names (in the Gateway's
/// namespace), else the one its GatewayClass's <c>parametersRef</c> names, else the ApiGateway the operator created
/// for it (owned by the Gateway). Only Gateways of a class whose controller is ours are served at all.
/// </summary>
public static class GatewayBinding
{
    public const string ControllerName = "tollgate.dev/gateway-controller";

    /// <summary>The class of <paramref name="gateway"/> when that class is ours, else null.</summary>
    public static GatewayClass? OurClass(KubernetesGateway gateway, IEnumerable<GatewayClass> classes) =>
        classes.FirstOrDefault(c => c.Metadata.Name == gateway.Spec.GatewayClassName && c.Spec.ControllerName == ControllerName);

    /// <summary>The namespace and name of the ApiGateway a parameters reference names, or null when it names none.</summary>
    public static (string Namespace, string Name)? Named(KubernetesGateway gateway, GatewayClass ourClass)
    {
        if (gateway.Spec.Infrastructure?.ParametersRef is { } local && IsApiGateway(local.Group, local.Kind))
            return (gateway.Metadata.NamespaceProperty ?? "default", local.Name);
        if (ourClass.Spec.ParametersRef is { } shared && IsApiGateway(shared.Group, shared.Kind) && !string.IsNullOrEmpty(shared.Namespace))
            return (shared.Namespace, shared.Name);
        return null;
    }

    /// <summary>True when <paramref name="apiGateway"/> serves <paramref name="gateway"/>.</summary>
    public static bool Serves(ApiGateway apiGateway, KubernetesGateway gateway, IEnumerable<GatewayClass> classes)
    {
        if (OurClass(gateway, classes) is not { } ourClass)
            return false;
        if (Named(gateway, ourClass) is { } named)
            return named == (apiGateway.Metadata.NamespaceProperty ?? "default", apiGateway.Metadata.Name);
        return apiGateway.Metadata.NamespaceProperty == gateway.Metadata.NamespaceProperty
               && apiGateway.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Kind == "Gateway" && o.Name == gateway.Metadata.Name
                                                              && o.ApiVersion?.StartsWith(GatewayApiBundle.Group + "/", StringComparison.Ordinal) == true) == true;
    }

    static bool IsApiGateway(string group, string kind) => group == ApiGateway.Group && kind == "ApiGateway";
}
