using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Store;

namespace Gateway.Proxy.Admin.Entities;

/// <summary>
/// Finds the entity a path segment names: by id when the segment is a UUID, otherwise by the kind's endpoint
/// key (a service's name, a consumer's username, a plugin's instance_name, a target's address within its upstream).
/// </summary>
public sealed class EntityLocator(IConfigStore store)
{
    public static bool TryParseId(string key, out Guid id) =>
        Guid.TryParseExact(key, "D", out id);

    public async Task<Entity?> FindAsync(EntityKind kind, string key, CancellationToken ct)
    {
        if (!StorableText.IsStorable(key)) return null;
        if (TryParseId(key, out var id)) return await Read(kind, () => store.GetAsync(kind, id, ct));
        if (kind.EndpointKey is not { } field) return null;
        return await Read(kind, () => store.FindAsync(kind, field, NormalizeKey(kind, key), ct));
    }

    /// <summary>Finds a child of <paramref name="parent"/>; null when it does not exist or belongs to another parent.</summary>
    public async Task<Entity?> FindChildAsync(EntityKind kind, FieldSpec parentField, Entity parent, string key, CancellationToken ct)
    {
        Entity? child;
        if (!TryParseId(key, out _) && EntityScopes.ScopeField(kind) is not null)
            child = await FindScopedAsync(kind, parentField, parent.Id, key, ct);
        else
            child = await FindAsync(kind, key, ct);
        return child is not null && EntityReferences.IdOf(child, parentField) == parent.Id ? child : null;
    }

    /// <summary>Every child of a parent, across pages.</summary>
    public async Task<List<Entity>> ListChildrenAsync(EntityKind kind, FieldSpec parentField, Guid parentId, CancellationToken ct)
    {
        var all = new List<Entity>();
        string? offset = null;
        do
        {
            var query = new ListQuery(Size: 1000, Offset: offset, ForeignField: parentField.Name, ForeignId: parentId);
            var page = await Read(kind, () => store.ListAsync(kind, query, ct));
            all.AddRange(page.Items);
            offset = page.Next;
        } while (offset is not null);
        return all;
    }

    /// <summary>Whether any entity of <paramref name="kind"/> references <paramref name="id"/> through the field.</summary>
    public async Task<bool> AnyReferenceAsync(EntityKind kind, FieldSpec field, Guid id, CancellationToken ct)
    {
        var query = new ListQuery(Size: 1, ForeignField: field.Name, ForeignId: id);
        var page = await Read(kind, () => store.ListAsync(kind, query, ct));
        return page.Items.Count > 0;
    }

    private async Task<Entity?> FindScopedAsync(EntityKind kind, FieldSpec parentField, Guid parentId, string key, CancellationToken ct)
    {
        var wanted = NormalizeKey(kind, key);
        foreach (var child in await ListChildrenAsync(kind, parentField, parentId, ct))
        {
            if (EntityReferences.StringOf(child, kind, kind.EndpointKey!) == wanted) return child;
        }
        return null;
    }

    /// <summary>Writes a key the way the kind stores it ("example.com" → "example.com:8000" for a target).</summary>
    public static string NormalizeKey(EntityKind kind, string key)
    {
        if (kind.Expand is null || kind.EndpointKey is null) return key;
        var document = new JsonObject { [kind.EndpointKey] = key };
        kind.Expand(document, new FieldErrors());
        return document[kind.EndpointKey] is JsonValue value && value.TryGetValue<string>(out var normalized)
            ? normalized
            : key;
    }

    private static Task<T> Read<T>(EntityKind kind, Func<Task<T>> call) => StoreErrors.Translate(kind, call);
}
