using System.Text.Json.Nodes;
using Gateway.Adversarial.Generation;
using Gateway.Proxy.Admin.Entities;
using Gateway.Proxy.Entities;
using Gateway.Proxy.PluginEngine;

namespace Gateway.Adversarial.Tests;

/// <summary>
/// The Admin API attacks break exactly one thing: the bodies they start from pass the gateway's own entity
/// validation, and each value they call wrong is refused by it for its field. So a "must refuse" case that is
/// accepted is the gateway's fault, not the harness's.
/// </summary>
public sealed class AttackValueTests
{
    public static TheoryData<string> Kinds => [.. EntityCatalog.All.Select(k => k.Name)];

    public static TheoryData<string> Plugins => [.. BundledPlugins.All.Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_body_of_every_kind_is_valid(string name)
    {
        var kind = EntityCatalog.Find(name)!;
        Assert.True(ValidBodies.Covers(kind), $"no valid body for {name}");
        var result = Validate(kind, ValidBodies.For(kind, 1));
        Assert.True(result.IsValid, result.Errors?.Summary());
    }

    [Theory]
    [MemberData(nameof(Plugins))]
    public void The_config_of_every_bundled_plugin_is_valid(string name)
    {
        var plugin = BundledPlugins.All.Single(p => p.Name == name);
        Assert.True(ValidBodies.Covers(plugin), $"no valid config for {name}");
        var body = ValidBodies.Plugin(plugin);
        Assert.True(Validate(EntityCatalog.Plugins, body).IsValid);
        var errors = plugin.ConfigSchema.Validate(plugin.ConfigSchema.WithDefaults((JsonObject)body["config"]!));
        Assert.True(errors.IsEmpty, errors.Summary());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_wrong_value_is_refused_for_its_field(string name)
    {
        var kind = EntityCatalog.Find(name)!;
        foreach (var target in FieldTargets.Of(kind))
        {
            foreach (var wrong in WrongValues.For(target.Field))
            {
                var body = JsonNode.Parse(RawJson.WithRawValue(ValidBodies.For(kind, 1), target.Path, wrong))!.AsObject();
                var result = Validate(kind, body);
                Assert.False(result.IsValid, $"{name}.{target.Name} = {wrong} passed validation");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Plugins))]
    public void Every_wrong_config_value_is_refused(string name)
    {
        var plugin = BundledPlugins.All.Single(p => p.Name == name);
        Assert.NotEmpty(FieldTargets.OfConfig(plugin));
        foreach (var target in FieldTargets.OfConfig(plugin))
        {
            foreach (var wrong in WrongValues.For(target.Field))
            {
                var body = JsonNode.Parse(RawJson.WithRawValue(ValidBodies.Plugin(plugin), target.Path, wrong))!.AsObject();
                var config = (JsonObject)body["config"]!;
                var errors = plugin.ConfigSchema.Validate(plugin.ConfigSchema.WithDefaults(config));
                Assert.False(errors.IsEmpty, $"{name} {target.Name} = {wrong} passed validation");
            }
        }
    }

    [Fact]
    public void Impossible_integers_are_refused_by_an_integer_field()
    {
        foreach (var number in WrongValues.ImpossibleIntegers)
        {
            var body = JsonNode.Parse(RawJson.WithRawValue(ValidBodies.For(EntityCatalog.Services, 1), ["retries"], number))!.AsObject();
            Assert.False(Validate(EntityCatalog.Services, body).IsValid, number);
        }
    }

    // As the Admin API does before validating a new entity: an id and timestamps.
    private static ValidationResult Validate(EntityKind kind, JsonObject body)
    {
        EntityInput.AssignNew(kind, body);
        return EntityValidation.Validate(kind, body);
    }

    [Fact]
    public void Raw_values_replace_the_marker_and_nothing_else()
    {
        var text = RawJson.WithRawValue(new JsonObject { ["a"] = "keep", ["b"] = new JsonObject() }, ["b", "c"], "1e400");
        Assert.Equal("""{"a":"keep","b":{"c":1e400}}""", text);
    }
}
