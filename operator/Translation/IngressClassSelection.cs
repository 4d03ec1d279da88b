namespace Gateway.Operator.Translation;

/// <summary>Which Ingresses an ApiGateway serves.</summary>
public static class IngressClassSelection
{
    public const string Controller = "tollgate.dev/ingress-controller";
    public const string LegacyClassAnnotation = "kubernetes.io/ingress.class";
    public const string DefaultClassAnnotation = "ingressclass.kubernetes.io/is-default-class";

    /// <summary>
    /// An Ingress is ours when it names our class, by <c>spec.ingressClassName</c> or else by the legacy annotation,
    /// and that IngressClass is handled by our controller. An Ingress naming no class is ours only when our class is
    /// marked the cluster's default, as Kubernetes and Kong Ingress Controller have it.
    /// </summary>
    public static bool IsServed(V1Ingress ingress, string className, IReadOnlyList<V1IngressClass> classes)
    {
        var ours = classes.FirstOrDefault(c => c.Metadata?.Name == className);
        if (ours?.Spec?.Controller != Controller) return false;
        var named = ingress.Spec?.IngressClassName;
        if (string.IsNullOrEmpty(named)) ingress.Metadata?.Annotations?.TryGetValue(LegacyClassAnnotation, out named);
        if (!string.IsNullOrEmpty(named)) return named == className;
        return ours.Metadata.Annotations?.TryGetValue(DefaultClassAnnotation, out var isDefault) == true
               && string.Equals(isDefault, "true", StringComparison.OrdinalIgnoreCase);
    }
}
