using System.Globalization;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Store.Scoped;

namespace Gateway.Proxy.Declarative;

/// <summary>
/// Stored entities outside a scoped document's select tags that its entries may reference, as decK resolves them:
/// only collections named in <c>default_lookup_tags</c>, only entities carrying those tags. Entities inside the
/// scope are never found here: the document replaces them, so a reference must name an entry of the document.
/// </summary>
internal sealed class ScopeLookup
{
    public static readonly ScopeLookup None = new(ConfigData.Empty, DocumentScope.Whole);

    private readonly Dictionary<string, Dictionary<string, Guid>> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Guid>> _ids = new(StringComparer.Ordinal);

    public ScopeLookup(ConfigData existing, DocumentScope scope)
    {
        foreach (var (collection, tags) in scope.LookupTags)
        {
            var kind = EntityCatalog.Find(collection)!;
            var byKey = _byKey[collection] = new Dictionary<string, Guid>(StringComparer.Ordinal);
            var ids = _ids[collection] = [];
            var keyField = kind.EndpointKey is null ? null : kind.Schema.Field(kind.EndpointKey);
            foreach (var entity in existing.Of(kind))
            {
                if (scope.Covers(entity) || !ScopedReplace.CarriesAll(entity.Tags, tags)) continue;
                ids.Add(entity.Id);
                if (keyField?.Property.GetValue(entity) is { } key)
                    byKey.TryAdd(Convert.ToString(key, CultureInfo.InvariantCulture)!, entity.Id);
            }
        }
    }

    /// <summary>The id of the entity of <paramref name="collection"/> named (or identified) by <paramref name="wanted"/>.</summary>
    public Guid? Find(string collection, string wanted)
    {
        if (_byKey.TryGetValue(collection, out var byKey) && byKey.TryGetValue(wanted, out var id)) return id;
        if (Guid.TryParse(wanted, out id) && _ids.TryGetValue(collection, out var ids) && ids.Contains(id)) return id;
        return null;
    }
}
