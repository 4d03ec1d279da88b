using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Store.Scoped;

namespace Gateway.Proxy.Declarative;

/// <summary>
/// The document's <c>_info</c> section, as decK writes it. <see cref="SelectTags"/>: the document manages only the
/// entities carrying all these tags, and every entry must carry them. <see cref="LookupTags"/>
/// (<c>default_lookup_tags</c>): per collection, the tags of entities outside the scope that entries may reference
/// by name or id; an empty list admits every entity of that collection.
/// </summary>
public sealed record DocumentScope(IReadOnlyList<string> SelectTags, IReadOnlyDictionary<string, IReadOnlyList<string>> LookupTags)
{
    public static readonly DocumentScope Whole = new([], new Dictionary<string, IReadOnlyList<string>>());

    /// <summary>True when the document replaces only the entities carrying <see cref="SelectTags"/>.</summary>
    public bool IsScoped => SelectTags.Count > 0;

    /// <summary>Whether <paramref name="entity"/> carries every select tag, so that a scoped document manages it.</summary>
    public bool Covers(Entity entity) => ScopedReplace.CarriesAll(entity.Tags, SelectTags);

    internal static DocumentScope Read(JsonNode? info, ErrorCollector errors)
    {
        if (info is null) return Whole;
        var at = Location.Root.Child("_info");
        if (info is not JsonObject section)
        {
            errors.Add(at, "expected a record");
            return Whole;
        }
        var selectTags = ReadTags(section["select_tags"], at.Child("select_tags"), errors);
        var lookupTags = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var lookupAt = at.Child("default_lookup_tags");
        switch (section["default_lookup_tags"])
        {
            case null:
                break;
            case JsonObject byCollection:
                foreach (var (collection, tags) in byCollection)
                {
                    if (EntityCatalog.Find(collection) is null) errors.Add(lookupAt.Child(collection), "unknown collection");
                    else lookupTags[collection] = ReadTags(tags, lookupAt.Child(collection), errors);
                }
                break;
            default:
                errors.Add(lookupAt, "expected a record of collection names and tag lists");
                break;
        }
        return new DocumentScope(selectTags, lookupTags);
    }

    private static IReadOnlyList<string> ReadTags(JsonNode? node, Location at, ErrorCollector errors)
    {
        if (node is null) return [];
        if (node is JsonArray list)
        {
            var tags = new List<string>();
            foreach (var item in list)
            {
                if (item is not JsonValue v || !v.TryGetValue<string>(out var tag) || tag.Length == 0)
                {
                    errors.Add(at, "expected an array of non-empty strings");
                    return [];
                }
                // Entities could never carry a tag that is not a valid tag.
                if (Names.CheckTag(tag) is { } problem)
                {
                    errors.Add(at, problem);
                    return [];
                }
                tags.Add(tag);
            }
            return tags;
        }
        errors.Add(at, "expected an array of non-empty strings");
        return [];
    }
}
