using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer;

/// <summary>The columns the API server's printers give some built-in kinds, cell for cell as it computes them.</summary>
static class BuiltInColumns
{
    const int LoadBalancerWidth = 16;

    public static IReadOnlyList<TableColumn>? For(ResourceType type) => (type.Group, type.Kind) switch
    {
        ("networking.k8s.io", "Ingress") =>
        [
            new("Class", "string", "The name of the IngressClass resource that should be used for additional configuration", 0,
                obj => (string?)obj["spec"]?["ingressClassName"] ?? "<none>"),
            new("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule", 0, obj => Hosts(obj["spec"]?["rules"])),
            new("Address", "string", "Address is a list containing ingress points for the load-balancer", 0, obj => Addresses(obj["status"]?["loadBalancer"]?["ingress"])),
            new("Ports", "string", "Ports of TLS configurations that open", 0, obj => obj["spec"]?["tls"] is JsonArray { Count: > 0 } ? "80, 443" : "80"),
            Tables.Age,
        ],
        ("networking.k8s.io", "IngressClass") =>
        [
            new("Controller", "string", "Controller that is responsible for handling this class", 0, obj => (string?)obj["spec"]?["controller"] ?? ""),
            new("Parameters", "string", "A reference to a resource with additional parameters", 0, obj => Parameters(obj["spec"]?["parameters"])),
            Tables.Age,
        ],
        ("discovery.k8s.io", "EndpointSlice") =>
        [
            new("AddressType", "string", "Type of address carried by this EndpointSlice", 0, obj => (string?)obj["addressType"] ?? ""),
            new("Ports", "string", "Enumerated ports on this EndpointSlice", 0, obj => PortList(obj["ports"])),
            new("Endpoints", "string", "Endpoints on this EndpointSlice", 0, obj => EndpointList(obj["endpoints"])),
            Tables.Age,
        ],
        _ => null,
    };

    static IEnumerable<JsonObject> Objects(JsonNode? list) => list is JsonArray array ? array.OfType<JsonObject>() : [];

    // The first three hosts, then "+ N more..." counting the rules left; "*" when no rule names a host.
    static string Hosts(JsonNode? rules)
    {
        var all = Objects(rules).ToList();
        var hosts = new List<string>();
        var more = false;
        foreach (var rule in all)
        {
            if (hosts.Count == 3)
                more = true;
            if (!more && (string?)rule["host"] is { Length: > 0 } host)
                hosts.Add(host);
        }
        if (hosts.Count == 0)
            return "*";
        var text = string.Join(",", hosts);
        return more ? $"{text} + {all.Count - 3} more..." : text;
    }

    // The load balancer's IPs (else hostnames), sorted, clipped to 16 characters.
    static string Addresses(JsonNode? ingress)
    {
        var text = string.Join(",", Objects(ingress)
            .Select(i => (string?)i["ip"] is { Length: > 0 } ip ? ip : (string?)i["hostname"])
            .Where(a => !string.IsNullOrEmpty(a))
            .Distinct()
            .Order(StringComparer.Ordinal));
        return text.Length > LoadBalancerWidth ? text[..(LoadBalancerWidth - 3)] + "..." : text;
    }

    static string Parameters(JsonNode? parameters)
    {
        if (parameters is not JsonObject reference)
            return "<none>";
        var kind = (string?)reference["kind"] ?? "";
        if ((string?)reference["apiGroup"] is { } group)
            kind += "." + group;
        return $"{kind}/{(string?)reference["name"]}";
    }

    static string PortList(JsonNode? ports) =>
        ListWithMore(Objects(ports).Select(p => p["port"] is { } number ? number.ToJsonString() : (string?)p["name"] ?? "*").ToList());

    static string EndpointList(JsonNode? endpoints) =>
        ListWithMore(Objects(endpoints).SelectMany(e => (e["addresses"] as JsonArray ?? []).Select(a => (string?)a ?? "")).ToList());

    // Up to three items, then "+ N more..."; "<unset>" when there are none.
    static string ListWithMore(List<string> items)
    {
        if (items.Count == 0)
            return "<unset>";
        var text = string.Join(",", items.Take(3));
        return items.Count > 3 ? $"{text} + {items.Count - 3} more..." : text;
    }
}
