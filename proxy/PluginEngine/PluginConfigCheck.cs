using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.PluginEngine;

/// <summary>
/// Checks a plugin's <c>config</c> against its schema: defaults applied, every field validated, then the rules that
/// span fields. Pure; the Admin API, POST /config and declarative files all use it.
/// </summary>
public static class PluginConfigCheck
{
    public static FieldErrors Check(RecordSchema schema, JsonObject config, out JsonObject withDefaults)
    {
        withDefaults = schema.WithDefaults(config);
        var errors = schema.Validate(withDefaults);
        if (!errors.IsEmpty) return errors;
        try
        {
            if (EntityJson.FromNode(withDefaults, schema.ClrType) is IEntityRules rules) rules.Check(errors);
        }
        catch (JsonException e)
        {
            errors.AddEntity("invalid value: " + e.Message);
        }
        return errors;
    }

    /// <summary>
    /// Every plugin of a configuration checked against a catalog: one line per problem, such as
    /// "plugins[rate-limiting 1f2e…]: config.second: expected an integer".
    /// </summary>
    public static IReadOnlyList<string> CheckAll(ConfigData config, PluginCatalog catalog)
    {
        var problems = new List<string>();
        foreach (var plugin in config.Plugins)
        {
            var at = $"plugins[{plugin.InstanceName ?? plugin.Name + " " + plugin.Id}]";
            if (catalog.Find(plugin.Name!) is not { } definition)
            {
                problems.Add($"{at}: name: plugin '{plugin.Name}' is not one this gateway runs");
                continue;
            }
            if (plugin.Consumer is not null && !definition.AllowsConsumer)
                problems.Add($"{at}: consumer: the {plugin.Name} plugin cannot be configured on a consumer");
            var errors = Check(definition.ConfigSchema, plugin.Config ?? new JsonObject(), out _);
            if (!errors.IsEmpty) problems.Add($"{at}: config: {errors.Summary()}");
        }
        return problems;
    }
}
