using Gateway.Operator.Builders;
using Gateway.Operator.Entities;
using Gateway.Operator.Translation;

namespace Gateway.Operator.Sync;

/// <summary>
/// The Secrets a configuration names, by namespace and name: Ingress TLS certificates, consumers' credentials, plugin
/// configurations from Secrets, and the gateways' admin tokens. The operator may not list or watch Secrets (it would
/// then read every Secret of the cluster), so it reads exactly these by name.
/// </summary>
public static class SecretReferences
{
    public static SortedSet<(string Namespace, string Name)> Of(ClusterState cluster, IEnumerable<ApiGateway> gateways)
    {
        var names = new SortedSet<(string, string)>();
        foreach (var gw in gateways)
            names.Add((gw.Metadata.NamespaceProperty ?? "default", gw.Spec.AdminTokenSecretRef?.Name ?? GatewayNames.AdminToken(gw)));
        foreach (var ingress in cluster.Ingresses)
        {
            foreach (var tls in ingress.Spec?.Tls ?? [])
            {
                if (!string.IsNullOrEmpty(tls.SecretName))
                    names.Add((ingress.Metadata.NamespaceProperty ?? "default", tls.SecretName));
            }
        }
        foreach (var consumer in cluster.Consumers)
        {
            foreach (var credential in consumer.Credentials ?? [])
            {
                if (!string.IsNullOrEmpty(credential))
                    names.Add((consumer.Metadata.NamespaceProperty ?? "default", credential));
            }
        }
        foreach (var plugin in cluster.Plugins)
        {
            if (plugin.ConfigFrom?.SecretKeyRef is { Name.Length: > 0 } source)
                names.Add((plugin.Metadata.NamespaceProperty ?? "default", source.Name));
        }
        // The certificates of Gateways' HTTPS listeners (read whatever their grants say: the status tells).
        foreach (var gateway in cluster.Gateways)
        {
            foreach (var reference in (gateway.Spec.Listeners ?? []).SelectMany(l => l.Tls?.CertificateRefs ?? []))
            {
                if ((reference.Kind ?? "Secret") == "Secret" && (reference.Group ?? "") == "" && reference.Name.Length > 0)
                    names.Add((reference.Namespace ?? gateway.Metadata.NamespaceProperty ?? "default", reference.Name));
            }
        }
        foreach (var plugin in cluster.ClusterPlugins)
        {
            if (plugin.ConfigFrom?.SecretKeyRef is { Name.Length: > 0, Namespace.Length: > 0 } source)
                names.Add((source.Namespace, source.Name));
        }
        return names;
    }
}
