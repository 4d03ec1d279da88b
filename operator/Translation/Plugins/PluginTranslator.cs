using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Operator.Entities;

namespace Gateway.Operator.Translation.Plugins;

/// <summary>Everything the plugin and consumer resources of one gateway are translated from.</summary>
public sealed record PluginTranslationInput(
    string OwnerTag,
    IReadOnlyList<TollgatePlugin> Plugins,
    IReadOnlyList<TollgateClusterPlugin> ClusterPlugins,
    IReadOnlyList<TollgateConsumer> Consumers,
    IReadOnlyList<V1Secret> Secrets,
    IReadOnlyList<PluginTarget> Targets)
{
    /// <summary>
    /// Plugin resources the proxy refused, by kind, namespace ("" for cluster plugins) and name: they cannot be built,
    /// so what names them is withheld as for any other plugin that cannot be built.
    /// </summary>
    public IReadOnlyDictionary<(string Kind, string Namespace, string Name), Problem> Refused { get; init; } =
        new Dictionary<(string, string, string), Problem>();
}

/// <summary>
/// The plugins, consumers and credentials to serve, what became of each source object, and the routes and services
/// that must not be served because a plugin named for them cannot be built.
/// </summary>
public sealed record PluginTranslation(IReadOnlyList<KongEntity> Entities, IReadOnlyList<SourceResult> Results, IReadOnlySet<string> WithheldTargets);

/// <summary>
/// Plugin resources into Kong plugins, attached as Kong Ingress Controller attaches KongPlugins: an object names
/// plugins in its <c>tollgate.dev/plugins</c> (or <c>konghq.com/plugins</c>) annotation, a TollgatePlugin of its
/// namespace first, else a TollgateClusterPlugin; a plugin named by consumers and by routes or services applies to
/// each such pair, so every precedence level of Kong can be written; a TollgateClusterPlugin labelled
/// <c>global: "true"</c> applies to everything. A route, service or consumer whose plugins cannot all be built is
/// withheld rather than served without them.
/// </summary>
public static class PluginTranslator
{
    public const string PluginsAnnotation = PluginTarget.Annotation;
    public const string GlobalLabel = "global";
    const string PluginNotReady = "PluginNotReady";
    const string InvalidConfig = "InvalidConfig";
    const string IncompatibleFilters = "IncompatibleFilters";

    sealed record Built(PluginResource Resource, JsonObject? Config, Problem? Problem);

    public static PluginTranslation Translate(PluginTranslationInput input)
    {
        var secrets = input.Secrets.ToDictionary(s => ((string?)s.Metadata.NamespaceProperty, s.Metadata.Name!));
        var plugins = new Dictionary<(string? Namespace, string Name), Built>();
        foreach (var plugin in input.Plugins)
            plugins[(plugin.Metadata.NamespaceProperty, plugin.Metadata.Name!)] = Build(plugin, secrets, input.Refused);
        foreach (var plugin in input.ClusterPlugins)
            plugins[(null, plugin.Metadata.Name!)] = Build(plugin, secrets, input.Refused);

        var consumers = ConsumerTranslator.Translate(input.OwnerTag, input.Consumers, secrets);
        var entities = new List<KongEntity>(consumers.Entities);
        var results = new List<SourceResult>(consumers.Results);
        var withheld = new HashSet<string>(StringComparer.Ordinal);

        // Who names which plugin: routes and services, and consumers.
        var byTargets = new Dictionary<(string?, string), List<PluginTarget>>();
        var failedSources = new Dictionary<SourceObject, Problem>();
        foreach (var target in input.Targets.OrderBy(t => t.Id, StringComparer.Ordinal))
        {
            var (found, problem) = Resolve(target.Source.Namespace, target.PluginsAnnotation, plugins);
            if (problem is null)
                (found, problem) = Resolve(target, found, plugins);
            if (problem is not null)
            {
                withheld.Add(target.Id);
                failedSources.TryAdd(target.Source, problem);
                continue;
            }
            foreach (var key in found)
                Add(byTargets, key, target);
        }
        var byConsumers = new Dictionary<(string?, string), List<string>>();
        foreach (var consumer in input.Consumers)
        {
            var ns = consumer.Metadata.NamespaceProperty ?? "";
            if (!consumers.Ids.TryGetValue((ns, consumer.Metadata.Name!), out var consumerId))
                continue;
            var (found, problem) = Resolve(ns, PluginTarget.Read(consumer.Metadata), plugins);
            if (problem is not null)
            {
                Withhold(entities, consumerId);
                var source = SourceIdentity.Of(consumer);
                results.RemoveAll(r => r.Source == source);
                results.Add(new(source, [problem]));
                continue;
            }
            foreach (var key in found)
                Add(byConsumers, key, consumerId);
        }
        foreach (var (source, problem) in failedSources)
            results.Add(new(source, [problem]));
        foreach (var target in input.Targets.Where(t => !withheld.Contains(t.Id)).OrderBy(t => t.Id, StringComparer.Ordinal))
            entities.AddRange(target.Plugins);

        foreach (var (key, built) in plugins.OrderBy(p => p.Key.Namespace ?? "", StringComparer.Ordinal).ThenBy(p => p.Key.Name, StringComparer.Ordinal))
        {
            var resource = built.Resource;
            results.Add(new(SourceIdentity.Of(resource), built.Problem is null ? [] : [built.Problem]));
            if (built.Problem is not null)
                continue;
            var scopes = Scopes(resource, byConsumers.GetValueOrDefault(key) ?? [], byTargets.GetValueOrDefault(key)?.Where(t => !withheld.Contains(t.Id)).ToList() ?? []);
            for (var i = 0; i < scopes.Count; i++)
                entities.Add(new("plugins", Entity(input.OwnerTag, resource, built.Config, scopes[i], scopes.Count > 1 ? i : null)));
        }
        return new(entities, results, withheld);
    }

    static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
            map[key] = list = [];
        list.Add(value);
    }

    // The plugins an annotation names, each resolved in the object's namespace first, then cluster-wide.
    static (List<(string?, string)> Found, Problem? Problem) Resolve(string ns, string? annotation, Dictionary<(string?, string), Built> plugins)
    {
        var found = new List<(string?, string)>();
        foreach (var name in (annotation ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            (string?, string) key = plugins.ContainsKey((ns, name)) ? (ns, name) : (null, name);
            if (!plugins.TryGetValue(key, out var built))
                return ([], new($"metadata.annotations[{PluginsAnnotation}]", PluginNotReady, $"no TollgatePlugin {ns}/{name} nor TollgateClusterPlugin {name}"));
            if (built.Problem is not null)
                return ([], new($"metadata.annotations[{PluginsAnnotation}]", PluginNotReady, $"plugin {name} cannot be built: {built.Problem}"));
            found.Add(key);
        }
        return (found, null);
    }

    // The TollgatePlugins a target's fields name, in its namespace only, added to those its annotation named. The
    // proxy takes one plugin of a name per route: one that the target's own plugins already configure is refused.
    static (List<(string?, string)> Found, Problem? Problem) Resolve(PluginTarget target, List<(string?, string)> found, Dictionary<(string?, string), Built> plugins)
    {
        var ns = target.Source.Namespace;
        var names = target.Plugins.Select(p => (string?)p.Body["name"]).ToList();
        foreach (var reference in target.References)
        {
            if (!plugins.TryGetValue((ns, reference.Name), out var built) || built.Resource is not TollgatePlugin)
                return ([], new(reference.Field, PluginNotReady, $"no TollgatePlugin {ns}/{reference.Name}"));
            if (built.Problem is not null)
                return ([], new(reference.Field, PluginNotReady, $"plugin {reference.Name} cannot be built: {built.Problem}"));
            if (names.Contains(built.Resource.Plugin))
                return ([], new(reference.Field, IncompatibleFilters, $"a {built.Resource.Plugin} plugin is already configured on this route"));
            names.Add(built.Resource.Plugin);
            found.Add((ns, reference.Name));
        }
        return (found, null);
    }

    // Where one plugin resource applies: every consumer with every route or service that named it, or each alone.
    static List<(string? Consumer, PluginTarget? Target)> Scopes(PluginResource resource, List<string> consumers, List<PluginTarget> targets)
    {
        if (resource is TollgateClusterPlugin && resource.Metadata.Labels?.TryGetValue(GlobalLabel, out var global) == true && global == "true")
            return [(null, null)];
        if (consumers.Count > 0 && targets.Count > 0)
            return [.. from consumer in consumers from target in targets select ((string?)consumer, (PluginTarget?)target)];
        return consumers.Count > 0
            ? [.. consumers.Select(c => ((string?)c, (PluginTarget?)null))]
            : [.. targets.Select(t => ((string?)null, (PluginTarget?)t))];
    }

    static JsonObject Entity(string ownerTag, PluginResource resource, JsonObject? config, (string? Consumer, PluginTarget? Target) scope, int? index)
    {
        var ns = resource.Metadata.NamespaceProperty;
        var body = new JsonObject
        {
            ["id"] = SourceIdentity.Id("plugins", $"{resource.Kind}/{ns}/{resource.Metadata.Name}/{scope.Consumer}/{scope.Target?.Id}"),
            ["name"] = resource.Plugin,
            ["enabled"] = !resource.Disabled,
        };
        if (config is not null)
            body["config"] = config.DeepClone();
        if (resource.Protocols is { Count: > 0 } protocols)
            body["protocols"] = new JsonArray([.. protocols.Select(p => (JsonNode)p)]);
        if (resource.InstanceName is { Length: > 0 } instance)
            body["instance_name"] = index is null ? instance : $"{instance}-{index}";
        if (scope.Consumer is not null)
            body["consumer"] = new JsonObject { ["id"] = scope.Consumer };
        if (scope.Target is { } target)
            body[target.Collection == "routes" ? "route" : "service"] = new JsonObject { ["id"] = target.Id };
        body["tags"] = SourceIdentity.Tags(SourceIdentity.Of(resource), ownerTag);
        return body;
    }

    static void Withhold(List<KongEntity> entities, string consumerId) =>
        entities.RemoveAll(e => (string?)e.Body["id"] == consumerId || (string?)e.Body["consumer"]?["id"] == consumerId);

    // The plugin's configuration: inline, or the JSON object in a Secret's key.
    static Built Build(PluginResource plugin, IReadOnlyDictionary<(string?, string), V1Secret> secrets,
        IReadOnlyDictionary<(string, string, string), Problem> refused)
    {
        var source = SourceIdentity.Of(plugin);
        if (refused.TryGetValue((source.Kind, source.Namespace, source.Name), out var refusal))
            return new(plugin, null, refusal);
        if (plugin.Config is not null && plugin.ConfigFrom is not null)
            return new(plugin, null, new("configFrom", InvalidConfig, "config and configFrom cannot both be set"));
        if (plugin.ConfigFrom?.SecretKeyRef is not { } reference)
            return new(plugin, plugin.Config, null);
        return FromSecret(plugin, reference, secrets);
    }

    static Built FromSecret(PluginResource plugin, SecretKeySource source, IReadOnlyDictionary<(string?, string), V1Secret> secrets)
    {
        var ns = plugin is TollgateClusterPlugin ? source.Namespace : plugin.Metadata.NamespaceProperty;
        if (plugin is TollgateClusterPlugin && string.IsNullOrEmpty(ns))
            return new(plugin, null, new("configFrom.secretKeyRef.namespace", InvalidConfig, $"required for a TollgateClusterPlugin"));
        if (plugin is TollgatePlugin && source.Namespace is { Length: > 0 } other && other != ns)
            return new(plugin, null, new("configFrom.secretKeyRef.namespace", InvalidConfig, $"a TollgatePlugin reads Secrets of its own namespace only"));
        if (!secrets.TryGetValue((ns, source.Name), out var secret))
            return new(plugin, null, new("configFrom.secretKeyRef", InvalidConfig, $"Secret {ns}/{source.Name} does not exist"));
        if (secret.Data?.TryGetValue(source.Key, out var bytes) != true || bytes is null)
            return new(plugin, null, new("configFrom.secretKeyRef", InvalidConfig, $"Secret {ns}/{source.Name} has no key '{source.Key}'"));
        try
        {
            return JsonNode.Parse(Encoding.UTF8.GetString(bytes)) is JsonObject config
                ? new(plugin, config, null)
                : new(plugin, null, new("configFrom.secretKeyRef", InvalidConfig, $"key '{source.Key}' of Secret {ns}/{source.Name} is not a JSON object"));
        }
        catch (JsonException error)
        {
            return new(plugin, null, new("configFrom.secretKeyRef", InvalidConfig, $"key '{source.Key}' of Secret {ns}/{source.Name} is not JSON: {error.Message}"));
        }
    }
}
