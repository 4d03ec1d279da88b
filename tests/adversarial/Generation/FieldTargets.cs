using Gateway.Proxy.Entities;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Schema;

namespace Gateway.Adversarial.Generation;

/// <summary>One field a bad value can be put in: its path in the body (<c>["config", "redis", "port"]</c>) and its spec.</summary>
public sealed record FieldTarget(IReadOnlyList<string> Path, FieldSpec Field)
{
    public string Name => string.Join('.', Path);
}

/// <summary>
/// Every field of every entity kind and of every bundled plugin's config, read from the gateway's own schemas,
/// so that a new field is attacked as soon as it exists. Fields the gateway fills itself (id, timestamps) are
/// left out: a value there may be ignored rather than refused.
/// </summary>
public static class FieldTargets
{
    // Plugin configs nest records (rate-limiting's redis); deeper than this no schema goes.
    private const int MaxDepth = 4;

    public static IReadOnlyList<FieldTarget> Of(EntityKind kind) =>
        kind.Schema.Fields.Where(f => !f.Auto).Select(f => new FieldTarget([f.Name], f)).ToArray();

    /// <summary>The fields of a plugin's config, nested records included, as paths under <c>config</c>.</summary>
    public static IReadOnlyList<FieldTarget> OfConfig(PluginDefinition plugin)
    {
        var targets = new List<FieldTarget>();
        Collect(plugin.ConfigSchema, ["config"], targets);
        return targets;
    }

    private static void Collect(RecordSchema schema, List<string> prefix, List<FieldTarget> targets)
    {
        foreach (var field in schema.Fields)
        {
            List<string> path = [.. prefix, field.Name];
            targets.Add(new FieldTarget(path, field));
            if (field.Kind == FieldKind.Record && field.Record is { } nested && path.Count < MaxDepth)
                Collect(nested, path, targets);
        }
    }
}
