using Gateway.Proxy.Admin.Entities;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Admin.Info;

public enum EndpointShape { Fixed, Collection, Item, Referenced, Children, Child }

/// <summary>One Admin API path template (Kong's notation: <c>/services/{services}/routes</c>) and its methods.</summary>
public sealed record AdminEndpoint(string Path, IReadOnlyList<string> Methods, EndpointShape Shape, string Summary)
{
    /// <summary>The entity kind the path reads or writes (for /routes/{routes}/service: services).</summary>
    public EntityKind? Kind { get; init; }

    /// <summary>For nested paths, the kind named first in the path.</summary>
    public EntityKind? Parent { get; init; }

    public FieldSpec? Field { get; init; }

    /// <summary>For fixed paths, the status of a successful answer: 200 with a JSON object, or 204 with no body.</summary>
    public int SuccessStatus { get; init; } = 200;
}

/// <summary>Every path the Admin API serves, derived from the entity catalog like the dispatcher's routes.</summary>
public static class EndpointCatalog
{
    private static readonly string[] Read = ["GET"];
    private static readonly string[] ListCreate = ["GET", "POST"];
    private static readonly string[] ReadWrite = ["GET", "PUT", "PATCH", "DELETE"];
    private static readonly string[] ReadReplace = ["GET", "PUT", "PATCH"];

    public static readonly IReadOnlyList<AdminEndpoint> All = Build();

    private static List<AdminEndpoint> Build()
    {
        var endpoints = new List<AdminEndpoint>
        {
            new("/", Read, EndpointShape.Fixed, "Node information"),
            new("/status", Read, EndpointShape.Fixed, "Health: database reachability and server counters"),
            new("/endpoints", Read, EndpointShape.Fixed, "Every path the Admin API serves"),
            new("/openapi.json", Read, EndpointShape.Fixed, "This API as an OpenAPI 3.0 document"),
            new("/config", ListCreate, EndpointShape.Fixed, "Export, or replace at once, the whole configuration or the entities carrying _info.select_tags (declarative format)"),
            new("/schemas/{name}", Read, EndpointShape.Fixed, "The schema of an entity kind"),
            new("/schemas/{name}/validate", ["POST"], EndpointShape.Fixed, "Validate an entity without storing it"),
            new("/schemas/plugins/{name}", Read, EndpointShape.Fixed, "The schema of a plugin, including its config"),
            new("/schemas/plugins/validate", ["POST"], EndpointShape.Fixed, "Validate a plugin entity without storing it"),
            new("/plugins/enabled", Read, EndpointShape.Fixed, "The plugins this node can run"),
            new("/upstreams/{upstreams}/health", Read, EndpointShape.Fixed,
                "The upstream's targets with their health on this node; ?balancer_health=1: the upstream's own health"),
            new("/upstreams/{upstreams}/targets/{targets}/healthy", ["POST", "PUT"], EndpointShape.Fixed,
                "Mark a target healthy on this node (its counters are cleared)") { SuccessStatus = 204 },
            new("/upstreams/{upstreams}/targets/{targets}/unhealthy", ["POST", "PUT"], EndpointShape.Fixed,
                "Mark a target unhealthy on this node (its counters are cleared)") { SuccessStatus = 204 },
        };
        foreach (var kind in EntityCatalog.All)
        {
            if (EntityScopes.ScopeField(kind) is null)
            {
                var item = $"/{kind.AdminPath}/{{{kind.Name}}}";
                endpoints.Add(new($"/{kind.AdminPath}", ListCreate, EndpointShape.Collection, $"List or create {kind.Name}") { Kind = kind });
                endpoints.Add(new(item, ReadWrite, EndpointShape.Item, $"Read, upsert, update or delete one of the {kind.Name}") { Kind = kind });
                foreach (var field in kind.References)
                {
                    var target = EntityReferences.Target(field);
                    endpoints.Add(new($"{item}/{field.Name}", ReadReplace, EndpointShape.Referenced,
                        $"The {target.Singular} this {kind.Singular} references") { Kind = target, Parent = kind, Field = field });
                }
            }
            foreach (var (child, field) in EntityCatalog.ChildrenOf(kind))
            {
                var children = $"/{kind.AdminPath}/{{{kind.Name}}}/{child.NestedAdminPath}";
                endpoints.Add(new(children, ListCreate, EndpointShape.Children, $"List or create the {child.Name} of a {kind.Singular}")
                    { Kind = child, Parent = kind, Field = field });
                if (EntityScopes.ScopeField(child) is not null)
                    endpoints.Add(new(children + "/all", Read, EndpointShape.Children, $"List all {child.Name} of a {kind.Singular}")
                        { Kind = child, Parent = kind, Field = field });
                endpoints.Add(new($"{children}/{{{child.Name}}}", ReadWrite, EndpointShape.Child,
                    $"Read, upsert, update or delete one {child.Singular} of a {kind.Singular}") { Kind = child, Parent = kind, Field = field });
            }
        }
        return endpoints;
    }
}
