using System.Reflection;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Runtime;

namespace Gateway.Operator.Manifests;

/// <summary>Turns the <see cref="EntityRbacAttribute"/>s on the operator's classes into policy rules.</summary>
public static class RbacGenerator
{
    public static List<V1PolicyRule> Rules(IEnumerable<Type> annotated)
    {
        // One rule per (group, verbs): the smallest role that still reads naturally.
        var grants = from type in annotated
                     from attribute in type.GetCustomAttributes<EntityRbacAttribute>()
                     from entity in attribute.Entities
                     let info = EntityInfo.Of(entity)
                     select (info.Group, Resource: attribute.Subresource is null ? info.PluralName : $"{info.PluralName}/{attribute.Subresource}", attribute.Verbs);

        var merged = grants
            .GroupBy(g => (g.Group, g.Resource))
            .Select(g => (g.Key.Group, g.Key.Resource, Verbs: g.Aggregate(RbacVerb.None, (all, next) => all | next.Verbs)));

        return merged
            .GroupBy(g => (g.Group, g.Verbs))
            .OrderBy(g => g.Key.Group, StringComparer.Ordinal)
            .ThenBy(g => (int)g.Key.Verbs)
            .Select(g => new V1PolicyRule
            {
                ApiGroups = [g.Key.Group],
                Resources = g.Select(x => x.Resource).Order(StringComparer.Ordinal).ToList(),
                Verbs = VerbNames(g.Key.Verbs),
            })
            .ToList();
    }

    static List<string> VerbNames(RbacVerb verbs) =>
        Enum.GetValues<RbacVerb>()
            .Where(v => v != RbacVerb.None && IsSingle(v) && verbs.HasFlag(v))
            .Select(v => v.ToString().ToLowerInvariant())
            .ToList();

    static bool IsSingle(RbacVerb verb) => ((int)verb & ((int)verb - 1)) == 0;
}
