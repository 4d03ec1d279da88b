using Gateway.Proxy.Admin.Http;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Store;

namespace Gateway.Proxy.Admin.Entities;

/// <summary>The generic entity endpoints, one method per path shape and HTTP method, as Kong generates them.</summary>
public sealed class EntityEndpoints
{
    private readonly EntityLocator _locator;
    private readonly EntityListing _listing;
    private readonly EntityWrites _writes;

    public EntityEndpoints(IConfigStore store, AdminApiOptions options)
    {
        _locator = new EntityLocator(store);
        _listing = new EntityListing(store);
        _writes = new EntityWrites(store, new EntityInput(store, options), _locator);
    }

    public Task<AdminResponse> HandleAsync(AdminRequest request, EntityPath path) => path switch
    {
        EntityPath.Collection p => CollectionAsync(request, p),
        EntityPath.Item p => ItemAsync(request, p),
        EntityPath.Referenced p => ReferencedAsync(request, p),
        EntityPath.Children p => ChildrenAsync(request, p),
        EntityPath.Child p => ChildAsync(request, p),
        _ => Task.FromResult(AdminResponse.NotFound()),
    };

    private Task<AdminResponse> CollectionAsync(AdminRequest request, EntityPath.Collection path) => request.Method switch
    {
        "GET" => _listing.ListAsync(request, path.Kind),
        "POST" => _writes.CreateAsync(request, path.Kind, parent: null),
        _ => Task.FromResult(AdminResponse.MethodNotAllowed()),
    };

    private async Task<AdminResponse> ItemAsync(AdminRequest request, EntityPath.Item path)
    {
        var kind = path.Kind;
        switch (request.Method)
        {
            case "GET":
                return Found(await _locator.FindAsync(kind, path.Key, request.Aborted));
            case "PUT":
                return await _writes.UpsertAsync(request, kind, path.Key,
                    await _locator.FindAsync(kind, path.Key, request.Aborted), parent: null);
            case "PATCH":
                var existing = await _locator.FindAsync(kind, path.Key, request.Aborted) ?? throw AdminException.NotFound();
                return await _writes.PatchAsync(request, kind, existing, path.Key, parent: null);
            case "DELETE":
                return await _writes.DeleteAsync(request, kind, path.Key, await _locator.FindAsync(kind, path.Key, request.Aborted));
            default:
                return AdminResponse.MethodNotAllowed();
        }
    }

    /// <summary><c>/routes/{r}/service</c>: the entity a reference field names.</summary>
    private async Task<AdminResponse> ReferencedAsync(AdminRequest request, EntityPath.Referenced path)
    {
        if (request.Method is not ("GET" or "PUT" or "PATCH" or "DELETE")) return AdminResponse.MethodNotAllowed();
        var owner = await _locator.FindAsync(path.Kind, path.Key, request.Aborted) ?? throw AdminException.NotFound();
        var targetId = EntityReferences.IdOf(owner, path.Field);
        if (targetId is null)
        {
            return request.Method == "PUT"
                ? await _writes.CreateAndAssociateAsync(request, path.Target, owner, path.Kind, path.Field)
                : AdminResponse.NotFound();
        }
        var targetKey = targetId.Value.ToString();
        var target = await _locator.FindAsync(path.Target, targetKey, request.Aborted);
        return request.Method switch
        {
            "GET" => Found(target),
            "PUT" => await _writes.UpsertAsync(request, path.Target, targetKey, target, parent: null),
            "PATCH" => target is null
                ? AdminResponse.NotFound()
                : await _writes.PatchAsync(request, path.Target, target, targetKey, parent: null),
            // Kong does not delete through a reference: the entity may be shared.
            _ => AdminResponse.MethodNotAllowed(),
        };
    }

    private async Task<AdminResponse> ChildrenAsync(AdminRequest request, EntityPath.Children path)
    {
        if (request.Method is not ("GET" or "POST")) return AdminResponse.MethodNotAllowed();
        var parent = await _locator.FindAsync(path.Parent, path.ParentKey, request.Aborted) ?? throw AdminException.NotFound();
        return request.Method == "GET"
            ? await _listing.ListChildrenAsync(request, path.Kind, path.Field, path.Parent, path.ParentKey, parent.Id)
            : await _writes.CreateAsync(request, path.Kind, new EntityWrites.Parent(path.Field, parent));
    }

    private async Task<AdminResponse> ChildAsync(AdminRequest request, EntityPath.Child path)
    {
        if (request.Method is not ("GET" or "PUT" or "PATCH" or "DELETE")) return AdminResponse.MethodNotAllowed();
        var kind = path.Kind;
        var parent = await _locator.FindAsync(path.Parent, path.ParentKey, request.Aborted) ?? throw AdminException.NotFound();
        var scope = new EntityWrites.Parent(path.Field, parent);
        if (request.Method == "PUT")
        {
            // Kong moves an existing entity under this parent rather than refusing it.
            var existing = EntityScopes.ScopeField(kind) is not null
                ? await _locator.FindChildAsync(kind, path.Field, parent, path.Key, request.Aborted)
                : await _locator.FindAsync(kind, path.Key, request.Aborted);
            return await _writes.UpsertAsync(request, kind, path.Key, existing, scope);
        }
        var child = await _locator.FindChildAsync(kind, path.Field, parent, path.Key, request.Aborted);
        if (request.Method == "DELETE") _writes.EnsureWritable(kind, "delete", null);
        if (child is null) return AdminResponse.NotFound();
        return request.Method switch
        {
            "GET" => AdminResponse.Ok(EntityJson.ToObject(child)),
            "PATCH" => await _writes.PatchAsync(request, kind, child, path.Key, scope),
            _ => await _writes.DeleteAsync(request, kind, path.Key, child),
        };
    }

    private static AdminResponse Found(Entity? entity) =>
        entity is null ? AdminResponse.NotFound() : AdminResponse.Ok(EntityJson.ToObject(entity));
}
