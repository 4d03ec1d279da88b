using System.Net;
using Gateway.Operator.Builders;
using Gateway.Operator.Entities;

namespace Gateway.Operator.Sync;

/// <summary>
/// Where a gateway's Admin API answers: the ready endpoints of the EndpointSlices of its <c>&lt;gw&gt;-admin</c>
/// Service. Pod addresses rather than the Service's cluster IP, so that the operator can reach every proxy and
/// also works when it runs outside the cluster with a route to the pod network.
/// </summary>
public static class AdminEndpoints
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>
    /// The Admin API base addresses of <paramref name="gw"/>'s ready proxies, sorted. An endpoint without a ready
    /// condition counts as ready (the API's advice for an unknown state); a terminating one never does.
    /// </summary>
    public static IReadOnlyList<Uri> Ready(ApiGateway gw, IEnumerable<V1EndpointSlice> slices)
    {
        var service = GatewayNames.Admin(gw);
        var addresses = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var slice in slices)
        {
            if (slice.Metadata.NamespaceProperty != gw.Metadata.NamespaceProperty
                || slice.Metadata.Labels?.TryGetValue(ServiceNameLabel, out var name) != true || name != service)
                continue;
            if (slice.Ports?.FirstOrDefault(p => p.Name == "admin")?.Port is not { } port)
                continue;
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                if (endpoint.Conditions?.Ready == false || endpoint.Conditions?.Terminating == true)
                    continue;
                if (endpoint.Addresses?.FirstOrDefault() is { } address && IPAddress.TryParse(address, out var ip))
                    addresses.Add(new UriBuilder("http", ip.ToString(), port).Uri.ToString());
            }
        }
        return [.. addresses.Select(a => new Uri(a))];
    }
}
