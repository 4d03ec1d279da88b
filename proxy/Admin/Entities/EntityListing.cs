using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Http;
using Gateway.Proxy.Admin.Listing;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Store;

namespace Gateway.Proxy.Admin.Entities;

/// <summary>
/// Paged listings in Kong's shape: <c>{"data": [...], "next": "/services?offset=…", "offset": "…"}</c>, with
/// <c>"next": null</c> and no offset on the last page.
/// </summary>
public sealed class EntityListing(IConfigStore store)
{
    /// <summary>A top-level listing such as <c>/services?size=10&amp;tags=a,b</c>.</summary>
    public async Task<AdminResponse> ListAsync(AdminRequest request, EntityKind kind)
    {
        var size = request.Query("size");
        var tags = request.Query("tags");
        var parameters = ListParameters.Parse(size, request.Query("offset"), tags);
        var query = new ListQuery(parameters.Size, parameters.Offset, Tags: parameters.Tags, AnyTag: parameters.AnyTag);
        var page = await ReadPageAsync(kind, query, request.Aborted);
        var next = page.Next is null
            ? null
            : $"/{kind.AdminPath}?offset={Uri.EscapeDataString(page.Next)}"
              + (tags is null ? "" : "&tags=" + Uri.EscapeDataString(tags))
              + (size is null ? "" : "&size=" + Uri.EscapeDataString(size));
        return AdminResponse.Ok(Body(page, next));
    }

    /// <summary>The children of one parent, such as <c>/services/{s}/routes</c>; tags are not applied, as in Kong.</summary>
    public async Task<AdminResponse> ListChildrenAsync(AdminRequest request, EntityKind kind, FieldSpec field,
        EntityKind parent, string parentKey, Guid parentId)
    {
        var parameters = ListParameters.Parse(request.Query("size"), request.Query("offset"), tags: null);
        var query = new ListQuery(parameters.Size, parameters.Offset, field.Name, parentId);
        var page = await ReadPageAsync(kind, query, request.Aborted);
        var next = page.Next is null
            ? null
            : $"/{parent.AdminPath}/{Uri.EscapeDataString(parentKey)}/{kind.NestedAdminPath}?offset={Uri.EscapeDataString(page.Next)}";
        return AdminResponse.Ok(Body(page, next));
    }

    private async Task<EntityPage> ReadPageAsync(EntityKind kind, ListQuery query, CancellationToken ct)
    {
        try
        {
            return await store.ListAsync(kind, query, ct);
        }
        catch (StoreException e)
        {
            throw StoreErrors.ToAdmin(kind, e);
        }
    }

    private static JsonObject Body(EntityPage page, string? next)
    {
        var data = new JsonArray();
        foreach (var entity in page.Items) data.Add(EntityJson.ToObject(entity));
        var body = new JsonObject { ["data"] = data, ["next"] = next };
        if (page.Next is not null) body["offset"] = page.Next;
        return body;
    }
}
