using Gateway.Proxy.Entities;

namespace Gateway.Proxy.Store.Postgres;

/// <summary>
/// The store's constraints checked over a whole configuration in memory: the first entity whose id, unique
/// values or references (reference lists included, which the store checks itself) would be refused, reported as the
/// store's refusal would be.
/// </summary>
public static class ConfigConstraints
{
    /// <summary>Entities in catalog order (parents first); null when the database would accept them all.</summary>
    public static StoreException? FirstViolation(IReadOnlyList<Entity> entities)
    {
        var ids = new Dictionary<string, HashSet<Guid>>();
        foreach (var kind in EntityCatalog.All) ids[kind.Name] = [];
        foreach (var entity in entities)
        {
            if (!ids[EntityCatalog.Of(entity.GetType()).Name].Add(entity.Id)) return PostgresErrors.PrimaryKeyTaken(entity.Id);
        }

        var taken = new HashSet<(string Constraint, string Value)>();
        foreach (var entity in entities)
        {
            var layout = TableLayout.For(EntityCatalog.Of(entity.GetType()));
            foreach (var unique in layout.Uniques)
            {
                if (TableLayout.Text(unique.Field, entity) is { } value && !taken.Add((unique.Constraint, value)))
                    return PostgresErrors.UniqueTaken([(unique.Field, value)]);
            }
            if (layout.HasUniqueKey && !taken.Add((layout.UniqueKeyConstraint!, layout.UniqueKey(entity))))
                return PostgresErrors.UniqueTaken(layout.UniqueTogether.Select(f => (f, TableLayout.Text(f, entity))));
            foreach (var reference in layout.References)
            {
                if (TableLayout.ReferencedId(reference.Field, entity) is { } parent && !ids[reference.ParentTable].Contains(parent))
                    return PostgresErrors.MissingParent(reference.Field, parent);
            }
            foreach (var list in layout.ReferenceLists)
            {
                foreach (var parent in list.Field.ListedIds(entity))
                    if (!ids[list.ParentTable].Contains(parent)) return PostgresErrors.MissingParent(list.Field, parent);
            }
        }
        return null;
    }
}
