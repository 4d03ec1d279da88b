using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer.FieldManagement;

/// <summary>What changed between two versions of an object, as field sets.</summary>
public sealed record Comparison(FieldSet Added, FieldSet Modified, FieldSet Removed)
{
    public FieldSet Changed => Added.Union(Modified);

    public bool IsSame => Added.IsEmpty && Modified.IsEmpty && Removed.IsEmpty;
}

/// <summary>
/// The operations server-side apply is made of, over JSON objects and a <see cref="SchemaNode"/>: the fields
/// a configuration sets, merging a configuration into an object, comparing two objects, and removing the
/// fields a manager stopped applying. They follow structured-merge-diff: keyed lists merge item by item, sets
/// by value, atomic lists and objects as a whole; a JSON null is treated as an absent field.
/// </summary>
public static class StructuredMerge
{
    /// <summary>The path element naming <paramref name="item"/> in a keyed list or set: k:{"name":"web"} or v:"x".</summary>
    public static string ItemElement(JsonNode? item, SchemaNode list)
    {
        if (list.Shape == Shape.Set)
        {
            if (item is null or JsonObject or JsonArray)
                throw new FormatException("associative list without keys has an element that is not a scalar");
            return "v:" + WireJson.Write(item);
        }
        if (item is not JsonObject fields)
            throw new FormatException("associative list with keys may not have non-map elements");
        var key = new JsonObject();
        foreach (var name in list.Keys.Order(StringComparer.Ordinal))
        {
            if (fields[name] is { } value)
                key[name] = value.DeepClone();
            else if (list.KeyDefaults.TryGetValue(name, out var fallback))
                key[name] = fallback.DeepClone();
        }
        if (key.Count == 0)
            throw new FormatException($"associative list with keys has an element that omits all key fields [{string.Join(' ', list.Keys.Select(k => $"\"{k}\""))}] (and doesn't have default values for any key fields)");
        return "k:" + WireJson.Write(key);
    }

    /// <summary>The fields <paramref name="value"/> sets: what a manager owns once it applies it.</summary>
    public static FieldSet ToFieldSet(JsonNode value, SchemaNode schema)
    {
        var set = new FieldSet();
        Collect(value, schema, [], set);
        return set;
    }

    static void Collect(JsonNode? value, SchemaNode schema, List<string> path, FieldSet set)
    {
        switch (schema.ShapeOf(value))
        {
            case Shape.Struct or Shape.Map:
                foreach (var (key, child) in value!.AsObject())
                {
                    path.Add("f:" + key);
                    Collect(child, schema.Field(key), path, set);
                    // A named field owns its children; a map entry, a null or an empty object is owned itself.
                    if (child is null || child is JsonObject { Count: 0 } || schema.Shape == Shape.Map)
                        set.Insert(path);
                    path.RemoveAt(path.Count - 1);
                }
                break;
            case Shape.KeyedList or Shape.Set:
                foreach (var (element, item) in Index(value!.AsArray(), schema, allowDuplicates: false))
                {
                    path.Add(element);
                    Collect(item, schema.Item, path, set);
                    set.Insert(path);
                    path.RemoveAt(path.Count - 1);
                }
                break;
            default:
                set.Insert(path);
                break;
        }
    }

    /// <summary>
    /// <paramref name="config"/> merged into <paramref name="live"/>: configured values win, keyed lists keep the
    /// live items the configuration does not name, in an order that respects both.
    /// </summary>
    public static JsonNode? Merge(JsonNode? live, JsonNode? config, SchemaNode schema)
    {
        if (config is null)
            return live?.DeepClone();
        if (live is null)
            return config.DeepClone();
        var shape = schema.ShapeOf(config);
        if (shape != schema.ShapeOf(live) || shape == Shape.Atomic || BothEmpty(live, config))
            return config.DeepClone();
        return shape is Shape.Struct or Shape.Map
            ? MergeObjects(live.AsObject(), config.AsObject(), schema)
            : MergeLists(live.AsArray(), config.AsArray(), schema);
    }

    static JsonObject MergeObjects(JsonObject live, JsonObject config, SchemaNode schema)
    {
        var result = new JsonObject();
        foreach (var (key, value) in live)
        {
            if (!config.TryGetPropertyValue(key, out var configured))
                result[key] = value?.DeepClone();
            else if (configured is not null)
                result[key] = Merge(value, configured, schema.Field(key));
        }
        foreach (var (key, configured) in config)
        {
            if (!live.ContainsKey(key) && configured is not null)
                result[key] = configured.DeepClone();
        }
        return result;
    }

    // Live items keep their places; configured items come in the configuration's order, and an item both name
    // is placed where the configuration puts it relative to the other items it names.
    static JsonArray MergeLists(JsonArray live, JsonArray config, SchemaNode schema)
    {
        var left = Index(live, schema, allowDuplicates: true).ToList();
        var right = Index(config, schema, allowDuplicates: false).ToList();
        var leftItems = new Dictionary<string, JsonNode?>();
        foreach (var (element, item) in left)
            leftItems.TryAdd(element, item);
        var rightElements = right.Select(r => r.Element).ToHashSet();
        var shared = new Queue<string>(right.Select(r => r.Element).Where(leftItems.ContainsKey));
        string? nextShared = shared.Count > 0 ? shared.Dequeue() : null;
        var merged = new HashSet<string>();
        var result = new JsonArray();
        int l = 0, r = 0;
        while (l < left.Count || r < right.Count)
        {
            if (l < left.Count && r < right.Count)
            {
                var element = left[l].Element;
                if (element == right[r].Element)
                {
                    result.Add(Merge(left[l].Item, right[r].Item, schema.Item));
                    merged.Add(element);
                    l++;
                    r++;
                    nextShared = shared.Count > 0 ? shared.Dequeue() : null;
                    continue;
                }
                if (rightElements.Contains(element) && nextShared is not null && nextShared != element)
                {
                    l++;
                    continue;
                }
            }
            if (l < left.Count)
            {
                var element = left[l].Element;
                if (!rightElements.Contains(element))
                {
                    result.Add(left[l].Item?.DeepClone());
                    l++;
                    continue;
                }
                if (merged.Contains(element))
                    l++;
            }
            if (r < right.Count)
            {
                var (element, item) = right[r];
                merged.Add(element);
                result.Add(Merge(leftItems.GetValueOrDefault(element), item, schema.Item));
                r++;
                if (nextShared == element)
                    nextShared = shared.Count > 0 ? shared.Dequeue() : null;
            }
        }
        return result;
    }

    /// <summary>The fields <paramref name="after"/> added, changed and removed relative to <paramref name="before"/>.</summary>
    public static Comparison Compare(JsonNode? before, JsonNode? after, SchemaNode schema)
    {
        var comparison = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
        Walk(before, after, schema, [], comparison);
        return comparison;
    }

    static void Walk(JsonNode? before, JsonNode? after, SchemaNode schema, List<string> path, Comparison comparison)
    {
        if (before is null && after is null)
            return;
        var shape = before is null ? schema.ShapeOf(after) : schema.ShapeOf(before);
        if (before is not null && after is not null && schema.ShapeOf(after) != shape)
            shape = Shape.Atomic;
        if (shape == Shape.Atomic || BothEmpty(before, after))
        {
            if (before is null)
                comparison.Added.Insert(path);
            else if (after is null)
                comparison.Removed.Insert(path);
            else if (!JsonNode.DeepEquals(before, after))
                comparison.Modified.Insert(path);
            return;
        }
        if (shape is Shape.Struct or Shape.Map)
        {
            var beforeObject = before as JsonObject ?? [];
            var afterObject = after as JsonObject ?? [];
            foreach (var key in beforeObject.Select(p => p.Key).Union(afterObject.Select(p => p.Key)))
            {
                path.Add("f:" + key);
                Walk(beforeObject[key], afterObject[key], schema.Field(key), path, comparison);
                path.RemoveAt(path.Count - 1);
            }
        }
        else
        {
            var beforeItems = First(Index(before as JsonArray ?? [], schema, allowDuplicates: true));
            var afterItems = First(Index(after as JsonArray ?? [], schema, allowDuplicates: true));
            foreach (var element in beforeItems.Keys.Union(afterItems.Keys))
            {
                path.Add(element);
                Walk(beforeItems.GetValueOrDefault(element), afterItems.GetValueOrDefault(element), schema.Item, path, comparison);
                path.RemoveAt(path.Count - 1);
            }
        }
        if (before is null)
            comparison.Added.Insert(path);
        else if (after is null)
            comparison.Removed.Insert(path);
    }

    /// <summary>
    /// Removes from <paramref name="merged"/> every field <paramref name="lastApplied"/> holds that nobody owns
    /// any more (<paramref name="owned"/> is every manager's set, the applier's new one included). A map or list
    /// left empty by the removal goes too.
    /// </summary>
    public static void Prune(JsonNode merged, FieldSet lastApplied, FieldSet owned, SchemaNode schema) =>
        PruneChildren(merged, lastApplied, owned, schema);

    // Returns whether anything was removed below the node.
    static bool PruneChildren(JsonNode node, FieldSet last, FieldSet owned, SchemaNode schema)
    {
        var removed = false;
        switch (schema.ShapeOf(node))
        {
            case Shape.Struct or Shape.Map:
                var obj = node.AsObject();
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (Decide(obj[key], last.Child("f:" + key), owned.Child("f:" + key), schema.Field(key)))
                    {
                        obj.Remove(key);
                        removed = true;
                    }
                }
                break;
            case Shape.KeyedList or Shape.Set:
                var list = node.AsArray();
                var items = Index(list, schema, allowDuplicates: true).ToList();
                for (var i = items.Count - 1; i >= 0; i--)
                {
                    if (Decide(items[i].Item, last.Child(items[i].Element), owned.Child(items[i].Element), schema.Item))
                    {
                        list.RemoveAt(i);
                        removed = true;
                    }
                }
                break;
        }
        return removed;
    }

    // Whether a child goes: the applier had it, nobody has it now; or it lost all its contents that way.
    static bool Decide(JsonNode? child, FieldSet? last, FieldSet? owned, SchemaNode schema)
    {
        if (last is null)
            return false;
        if (owned is null)
            return true;
        if (child is null || last.Children.Count == 0)
            return false;
        return PruneChildren(child, last, owned, schema) && child is JsonObject { Count: 0 } or JsonArray { Count: 0 };
    }

    static bool BothEmpty(JsonNode? a, JsonNode? b) => IsEmptyContainer(a) && IsEmptyContainer(b);

    static bool IsEmptyContainer(JsonNode? node) => node is null or JsonObject { Count: 0 } or JsonArray { Count: 0 };

    static Dictionary<string, JsonNode?> First(IEnumerable<(string Element, JsonNode? Item)> items)
    {
        var first = new Dictionary<string, JsonNode?>();
        foreach (var (element, item) in items)
            first.TryAdd(element, item);
        return first;
    }

    static IEnumerable<(string Element, JsonNode? Item)> Index(JsonArray list, SchemaNode schema, bool allowDuplicates)
    {
        var seen = new HashSet<string>();
        foreach (var item in list)
        {
            var element = ItemElement(item, schema);
            if (!seen.Add(element) && !allowDuplicates)
                throw new FormatException($"duplicate entries for key {FieldSet.Describe([element])}");
            yield return (element, item);
        }
    }
}
