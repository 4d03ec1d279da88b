using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.Admin;
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
    /// A plugin entity against the plugins a node runs (<paramref name="plugin"/> null: not one of them): its name,
    /// whether it may be scoped to a consumer, and its config. <paramref name="withDefaults"/> is the config to store.
    /// </summary>
    public static FieldErrors CheckEntity(AdminPlugin? plugin, string name, bool hasConsumer, JsonObject config,
        out JsonObject withDefaults)
    {
        withDefaults = config;
        var errors = new FieldErrors();
        if (plugin is null)
            errors.Add("name", $"plugin '{name}' not enabled; add it to the 'plugins' configuration property");
        else if (!plugin.AllowsConsumer && hasConsumer)
            errors.Add("consumer", $"value must be null: the {name} plugin cannot be configured on a consumer");
        else if (plugin.Config is { } schema)
            errors.AddNested("config", Check(schema, config, out withDefaults));
        else
            withDefaults = (JsonObject)config.DeepClone();
        return errors;
    }

    /// <summary>
    /// Every plugin of a configuration checked against a catalog: one line per plugin with problems, such as
    /// "plugins[rate-limiting 1f2e…]: schema violation (config.second: expected an integer)".
    /// </summary>
    public static IReadOnlyList<string> CheckAll(ConfigData config, PluginCatalog catalog)
    {
        var plugins = catalog.ForAdminApi();
        var problems = new List<string>();
        foreach (var plugin in config.Plugins)
        {
            var known = plugins.FirstOrDefault(p => p.Name == plugin.Name);
            var errors = CheckEntity(known, plugin.Name!, plugin.Consumer is not null, plugin.Config ?? new JsonObject(), out _);
            if (!errors.IsEmpty) problems.Add($"plugins[{plugin.InstanceName ?? plugin.Name + " " + plugin.Id}]: {errors.Summary()}");
        }
        return problems;
    }
}
