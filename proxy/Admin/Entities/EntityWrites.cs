using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Http;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Store;

namespace Gateway.Proxy.Admin.Entities;

/// <summary>
/// Creating (POST, 201), upserting (PUT, 200 whether created or replaced), merging (PATCH, 200) and deleting
/// (DELETE, 204) entities with Kong's semantics. Everything is checked before the one store call that writes, so a
/// refused write changes nothing (the create-and-associate PUT writes twice and undoes the first if the second fails).
/// </summary>
public sealed class EntityWrites(IConfigStore store, EntityInput input, EntityLocator locator)
{
    /// <summary>A parent from a nested path: the child's <paramref name="Field"/> must reference <paramref name="Entity"/>.</summary>
    public sealed record Parent(FieldSpec Field, Entity Entity)
    {
        public JsonObject Reference => new() { ["id"] = Id(Entity.Id) };
    }

    public async Task<AdminResponse> CreateAsync(AdminRequest request, EntityKind kind, Parent? parent)
    {
        var document = input.Coerce(kind, await request.ReadBodyAsync());
        if (parent is not null) document[parent.Field.Name] = parent.Reference;
        EntityInput.AssignNew(kind, document);

        var entity = await input.BuildAsync(kind, document, request.Aborted);
        EnsureWritable(kind, "create", null);
        await input.CheckReferencesExistAsync(kind, entity, request.Aborted);
        var saved = await StoreErrors.Translate(kind, () => store.InsertAsync(entity, request.Aborted));
        return AdminResponse.Created(EntityInput.ShowSecretsAsSent(kind, EntityJson.ToObject(saved), document));
    }

    /// <summary>
    /// PUT: the body replaces the entity named by <paramref name="key"/> (omitted fields take their defaults) or
    /// creates it with that id or endpoint key. The key in the path wins over the body.
    /// </summary>
    public async Task<AdminResponse> UpsertAsync(AdminRequest request, EntityKind kind, string key, Entity? existing, Parent? parent)
    {
        var body = await request.ReadBodyAsync();
        var document = input.Coerce(kind, body, existing);
        string? byField = null;
        if (EntityLocator.TryParseId(key, out var id))
        {
            document["id"] = Id(id);
        }
        else
        {
            if (kind.EndpointKey is not { } endpointKey) throw AdminException.NotFound();
            byField = endpointKey;
            document[endpointKey] = key;
            document["id"] = Id(existing?.Id ?? Guid.NewGuid());
        }
        if (parent is not null) document[parent.Field.Name] = parent.Reference;
        if (existing is null) EntityInput.AssignNew(kind, document);
        else EntityInput.Stamp(document, existing.CreatedAt);

        var entity = await input.BuildAsync(kind, document, request.Aborted);
        EnsureWritable(kind, "create or update", byField);
        await input.CheckReferencesExistAsync(kind, entity, request.Aborted);
        var saved = existing is null
            ? await StoreErrors.Translate(kind, () => store.InsertAsync(entity, request.Aborted))
            : await StoreErrors.Translate(kind, () => store.UpdateAsync(entity, request.Aborted));
        return AdminResponse.Ok(EntityInput.ShowSecretsAsSent(kind, EntityJson.ToObject(saved), document));
    }

    /// <summary>PATCH: the body is merged into the stored entity, and the result is validated as a whole.</summary>
    public async Task<AdminResponse> PatchAsync(AdminRequest request, EntityKind kind, Entity existing, string key, Parent? parent)
    {
        var patch = input.Coerce(kind, await request.ReadBodyAsync(), existing);
        if (parent is not null && !patch.ContainsKey(parent.Field.Name)) patch[parent.Field.Name] = parent.Reference;
        var document = EntityMerge.Merge(kind.Schema, EntityJson.ToObject(existing), patch);
        document["id"] = Id(existing.Id);
        EntityInput.Stamp(document, existing.CreatedAt);

        var entity = await input.BuildAsync(kind, document, request.Aborted);
        EnsureWritable(kind, "update", EntityLocator.TryParseId(key, out _) ? null : kind.EndpointKey);
        await input.CheckReferencesExistAsync(kind, entity, request.Aborted);
        var saved = await StoreErrors.Translate(kind, () => store.UpdateAsync(entity, request.Aborted));
        return AdminResponse.Ok(EntityInput.ShowSecretsAsSent(kind, EntityJson.ToObject(saved), patch));
    }

    /// <summary>
    /// PUT on <c>/routes/{r}/service</c> when the route has no service yet: creates the service and points the
    /// route at it. Both are validated before either is written; if the second write fails the first is undone.
    /// </summary>
    public async Task<AdminResponse> CreateAndAssociateAsync(AdminRequest request, EntityKind kind, Entity owner,
        EntityKind ownerKind, FieldSpec field)
    {
        var document = input.Coerce(kind, await request.ReadBodyAsync());
        document["id"] = Id(Guid.NewGuid());
        EntityInput.AssignNew(kind, document);
        var created = await input.BuildAsync(kind, document, request.Aborted);

        var ownerDocument = EntityJson.ToObject(owner);
        ownerDocument[field.Name] = new JsonObject { ["id"] = Id(created.Id) };
        EntityInput.Stamp(ownerDocument, owner.CreatedAt);
        var updatedOwner = await input.BuildAsync(ownerKind, ownerDocument, request.Aborted);

        EnsureWritable(kind, "create or update", null);
        await input.CheckReferencesExistAsync(kind, created, request.Aborted);
        var saved = await StoreErrors.Translate(kind, () => store.InsertAsync(created, request.Aborted));
        try
        {
            await StoreErrors.Translate(ownerKind, () => store.UpdateAsync(updatedOwner, request.Aborted));
        }
        catch (AdminException)
        {
            await store.DeleteAsync(kind, saved.Id, CancellationToken.None);
            throw;
        }
        return AdminResponse.Ok(EntityJson.ToObject(saved));
    }

    /// <summary>DELETE answers 204 whether or not the entity existed, as Kong does.</summary>
    public async Task<AdminResponse> DeleteAsync(AdminRequest request, EntityKind kind, string key, Entity? existing)
    {
        EnsureWritable(kind, "delete", EntityLocator.TryParseId(key, out _) ? null : kind.EndpointKey);
        if (existing is null) return AdminResponse.NoContent;
        foreach (var (child, field) in EntityCatalog.ChildrenOf(kind))
        {
            if (field.CascadeDelete) continue;
            if (await locator.AnyReferenceAsync(child, field, existing.Id, request.Aborted))
                throw KongErrors.ReferencedBy(child, kind);
        }
        await StoreErrors.Translate(kind, () => store.DeleteAsync(kind, existing.Id, request.Aborted));
        return AdminResponse.NoContent;
    }

    /// <summary>In DB-less mode entities are read-only (Kong answers 405 after validating the input).</summary>
    public void EnsureWritable(EntityKind kind, string operation, string? byField)
    {
        if (store.IsReadOnly) throw KongErrors.OperationUnsupported(operation, kind, byField);
    }

    private static string Id(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);
}
