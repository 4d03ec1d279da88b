using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Entities;
using Gateway.Proxy.Admin.Http;
using Gateway.Proxy.Entities;

namespace Gateway.Proxy.Admin.Schemas;

/// <summary>
/// <c>/schemas/{name}</c>, <c>/schemas/plugins/{name}</c> and their <c>/validate</c> companions, which check an
/// entity exactly as a create would, without storing it.
/// </summary>
public sealed class SchemaEndpoints(EntityInput input, AdminApiOptions options)
{
    public async Task<AdminResponse> HandleAsync(AdminRequest request)
    {
        var segments = request.Segments;
        if (segments.Count == 3 && segments[1] == "plugins" && segments[2] == "validate")
            return request.Method == "POST" ? await ValidateAsync(request, EntityCatalog.Plugins) : AdminResponse.MethodNotAllowed();
        if (segments.Count == 3 && segments[1] == "plugins")
        {
            if (request.Method != "GET") return AdminResponse.MethodNotAllowed();
            return options.FindPlugin(segments[2]) is { } plugin
                ? AdminResponse.Ok(SchemaDescription.DescribePlugin(plugin))
                : AdminResponse.Message(404, $"No plugin named '{segments[2]}'");
        }
        if (segments.Count is < 2 or > 3 || (segments.Count == 3 && segments[2] != "validate")) return AdminResponse.NotFound();

        var kind = EntityCatalog.Find(segments[1]);
        if (kind is null) return AdminResponse.Message(404, $"No entity named '{segments[1]}'");
        if (segments.Count == 3)
            return request.Method == "POST" ? await ValidateAsync(request, kind) : AdminResponse.MethodNotAllowed();
        return request.Method == "GET" ? AdminResponse.Ok(SchemaDescription.Describe(kind.Schema)) : AdminResponse.MethodNotAllowed();
    }

    private async Task<AdminResponse> ValidateAsync(AdminRequest request, EntityKind kind)
    {
        var document = input.Coerce(kind, await request.ReadBodyAsync());
        EntityInput.AssignNew(kind, document);
        await input.BuildAsync(kind, document, request.Aborted);
        return AdminResponse.Ok(new JsonObject { ["message"] = "schema validation successful" });
    }
}
