namespace Gateway.Operator.Translation;

/// <summary>
/// The tags every translated entity carries: those naming its source object, as Kong Ingress Controller writes them,
/// and the one that selects everything an ApiGateway's operator owns (the scope of its <c>POST /config</c>).
/// </summary>
public static class SourceTags
{
    /// <summary>
    /// <c>tollgate-operator:&lt;namespace&gt;.&lt;name&gt;</c>. Kong refuses '/' in tags; a namespace has no '.',
    /// so the first dot still separates the two.
    /// </summary>
    public static string Owner(string gatewayNamespace, string gatewayName) => $"tollgate-operator:{gatewayNamespace}.{gatewayName}";

    public static string[] For(SourceObject source, string ownerTag)
    {
        var tags = new List<string>(7)
        {
            ownerTag,
            "k8s-kind:" + source.Kind,
        };
        // Cluster-scoped objects (a TollgateClusterPlugin) have no namespace to name.
        if (source.Namespace.Length > 0) tags.Add("k8s-namespace:" + source.Namespace);
        tags.Add("k8s-name:" + source.Name);
        if (!string.IsNullOrEmpty(source.Uid)) tags.Add("k8s-uid:" + source.Uid);
        // The core group has no name; Kong refuses an empty tag value less clearly than leaving the tag out.
        if (source.Group.Length > 0) tags.Add("k8s-group:" + source.Group);
        tags.Add("k8s-version:" + source.Version);
        return [.. tags];
    }
}
