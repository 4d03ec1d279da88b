using System.Globalization;
using System.Text;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Store.ConfigChecks;

/// <summary>
/// Checks what no single entity can check on its own: unique fields (and unique combinations) across all
/// entities of a kind, and that every reference points at an entity in the same configuration.
/// Pure; the declarative format, POST /config and the in-memory store all run it before accepting a config.
/// </summary>
public static class ConfigChecker
{
    public static IReadOnlyList<ConfigProblem> Check(ConfigData config)
    {
        var problems = new List<ConfigProblem>();
        var ids = new Dictionary<string, HashSet<Guid>>(StringComparer.Ordinal);
        foreach (var kind in EntityCatalog.All)
        {
            var set = new HashSet<Guid>();
            foreach (var entity in config.Of(kind)) set.Add(entity.Id);
            ids[kind.Name] = set;
        }
        foreach (var kind in EntityCatalog.All)
        {
            CheckUniqueness(kind, config.Of(kind), problems);
            CheckReferences(kind, config.Of(kind), ids, problems);
        }
        return problems;
    }

    private static void CheckUniqueness(EntityKind kind, IReadOnlyList<Entity> entities, List<ConfigProblem> problems)
    {
        var seenIds = new HashSet<Guid>();
        var seenValues = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var seenCombinations = new HashSet<string>(StringComparer.Ordinal);
        var combinationField = CombinationField(kind);
        foreach (var entity in entities)
        {
            // The later declaration is the duplicate; the first one stays valid.
            var reported = false;
            foreach (var field in kind.UniqueFields)
            {
                var value = ValueText(field.Property.GetValue(entity));
                if (value is null) continue;
                if (!seenValues.TryGetValue(field.Name, out var values)) seenValues[field.Name] = values = new HashSet<string>(StringComparer.Ordinal);
                if (values.Add(value)) continue;
                problems.Add(new ConfigProblem(ConfigProblemKind.Duplicate, kind, entity, field.Name,
                    $"uniqueness violation: '{kind.Name}' entity with {field.Name} set to '{value}' already declared"));
                reported = true;
            }
            if (combinationField is not null && !seenCombinations.Add(CombinationKey(kind, entity)))
            {
                problems.Add(new ConfigProblem(ConfigProblemKind.Duplicate, kind, entity, combinationField,
                    $"uniqueness violation: '{kind.Name}' entity with {DescribeCombination(kind, entity)} already declared"));
                reported = true;
            }
            // Ids derived from a duplicate name repeat too; the name is the problem worth reporting then.
            if (!seenIds.Add(entity.Id) && !reported)
            {
                problems.Add(new ConfigProblem(ConfigProblemKind.Duplicate, kind, entity, "id",
                    $"uniqueness violation: '{kind.Name}' entity with primary key set to '{entity.Id}' already declared"));
            }
        }
    }

    private static void CheckReferences(EntityKind kind, IReadOnlyList<Entity> entities,
        Dictionary<string, HashSet<Guid>> ids, List<ConfigProblem> problems)
    {
        foreach (var entity in entities)
        {
            foreach (var field in kind.References)
            {
                if (field.Property.GetValue(entity) is EntityRef reference) CheckReference(kind, entity, field, reference.Id, ids, problems);
            }
            foreach (var field in kind.ReferenceLists)
            {
                foreach (var id in field.ListedIds(entity)) CheckReference(kind, entity, field, id, ids, problems);
            }
        }
    }

    private static void CheckReference(EntityKind kind, Entity entity, FieldSpec field, Guid id,
        Dictionary<string, HashSet<Guid>> ids, List<ConfigProblem> problems)
    {
        if (ids.TryGetValue(field.References!, out var known) && known.Contains(id)) return;
        problems.Add(new ConfigProblem(ConfigProblemKind.DanglingReference, kind, entity, field.Name,
            $"invalid reference '{field.Name}: {id}' (no such entry in '{field.References}')"));
    }

    /// <summary>The field a unique-combination problem is reported on: the first one that is not a reference.</summary>
    private static string? CombinationField(EntityKind kind)
    {
        if (kind.UniqueTogether.Count == 0) return null;
        foreach (var name in kind.UniqueTogether)
            if (kind.Schema.Field(name)?.Kind != FieldKind.Reference) return name;
        return kind.UniqueTogether[^1];
    }

    private static string CombinationKey(EntityKind kind, Entity entity)
    {
        var key = new StringBuilder();
        foreach (var name in kind.UniqueTogether)
        {
            var value = ValueText(kind.Schema.Field(name)!.Property.GetValue(entity));
            key.Append(value is null ? "\u0001" : value).Append('\0');
        }
        return key.ToString();
    }

    private static string DescribeCombination(EntityKind kind, Entity entity)
    {
        var parts = new List<string>();
        foreach (var name in kind.UniqueTogether)
        {
            var value = ValueText(kind.Schema.Field(name)!.Property.GetValue(entity));
            parts.Add(value is null ? $"{name} null" : $"{name} '{value}'");
        }
        return string.Join(", ", parts);
    }

    private static string? ValueText(object? value) => value switch
    {
        null => null,
        EntityRef reference => reference.Id.ToString(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
