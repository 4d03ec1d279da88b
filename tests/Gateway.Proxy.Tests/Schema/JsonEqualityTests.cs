using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Route = Gateway.Proxy.Entities.Route;

namespace Gateway.Proxy.Tests.Schema;

public class JsonEqualityTests
{
    /// <summary>
    /// Every field an entity of <paramref name="type"/> writes (those the serializer ignores have no getter), nested
    /// records' fields included, as paths of properties; a reference is one field.
    /// </summary>
    private static IEnumerable<PropertyInfo[]> Fields(Type type)
    {
        foreach (var property in EntityJson.Options.GetTypeInfo(type).Properties)
        {
            if (property.Get is null) continue;
            var info = (PropertyInfo)property.AttributeProvider!;
            if (info.PropertyType != typeof(EntityRef) && EntityJson.Options.GetTypeInfo(info.PropertyType).Kind == JsonTypeInfoKind.Object)
                foreach (var inner in Fields(info.PropertyType)) yield return [info, .. inner];
            else
                yield return [info];
        }
    }

    public static TheoryData<string, string> EveryField()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in EntityCatalog.All)
            foreach (var path in Fields(kind.ClrType))
                data.Add(kind.Name, string.Join(".", path.Select(p => p.Name)));
        return data;
    }

    private static object Copy(object value) =>
        JsonSerializer.Deserialize(JsonSerializer.Serialize(value, value.GetType(), EntityJson.Options), value.GetType(), EntityJson.Options)!;

    /// <summary>A copy of <paramref name="value"/> with the field at the end of <paramref name="path"/> set to another value.</summary>
    private static object With(object value, PropertyInfo[] path)
    {
        var copy = Copy(value);
        var field = path[0];
        field.SetValue(copy, path.Length == 1 ? Other(field.GetValue(copy), field.PropertyType) : With(field.GetValue(copy)!, path[1..]));
        return copy;
    }

    private static object Other(object? value, Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => value + "x",
        var t when t == typeof(int) => (int?)value + 1 ?? 1,
        var t when t == typeof(long) => (long?)value + 1 ?? 1,
        var t when t == typeof(double) => (double?)value + 1 ?? 1,
        var t when t == typeof(bool) => !((bool?)value ?? false),
        var t when t == typeof(Guid) => Guid.NewGuid(),
        var t when t == typeof(string[]) => (string[])[.. (string[]?)value ?? [], "x"],
        var t when t == typeof(int[]) => (int[])[.. (int[]?)value ?? [], 599],
        var t when t == typeof(Guid[]) => (Guid[])[.. (Guid[]?)value ?? [], Guid.NewGuid()],
        var t when t == typeof(EntityRef) => new EntityRef(Guid.NewGuid()),
        var t when t == typeof(JsonObject) => new JsonObject { ["x"] = 1 },
        var t when t == typeof(Dictionary<string, string[]>) => new Dictionary<string, string[]> { ["x-other"] = ["x"] },
        var t => throw new InvalidOperationException($"no other value known for {t}"),
    };

    private static bool WrittenEqual(object a, object b, Type type) =>
        JsonNode.DeepEquals(JsonSerializer.SerializeToNode(a, type, EntityJson.Options), JsonSerializer.SerializeToNode(b, type, EntityJson.Options));

    [Theory, MemberData(nameof(EveryField))]
    public void Entities_differing_in_any_one_field_are_not_equal(string kindName, string field)
    {
        var kind = EntityCatalog.All.Single(k => k.Name == kindName);
        var path = Fields(kind.ClrType).Single(p => string.Join(".", p.Select(f => f.Name)) == field);
        var entity = Activator.CreateInstance(kind.ClrType)!;
        var other = With(entity, path);

        Assert.False(WrittenEqual(entity, other, kind.ClrType));
        Assert.False(JsonEquality.Equal(entity, other, kind.ClrType));
        Assert.False(JsonEquality.Equal(other, entity, kind.ClrType));
        Assert.True(JsonEquality.Equal(other, Copy(other), kind.ClrType));
    }

    [Fact]
    public void Objects_and_dictionaries_are_equal_with_their_keys_in_another_order()
    {
        var a = new Plugin { Name = "p", Config = JsonNode.Parse("""{"a":1,"b":{"c":[1,2]}}""")!.AsObject() };
        var b = a with { Config = JsonNode.Parse("""{"b":{"c":[1,2]},"a":1}""")!.AsObject() };
        Assert.True(JsonEquality.Equal(a, b, typeof(Plugin)));
        Assert.False(JsonEquality.Equal(a, b with { Config = JsonNode.Parse("""{"b":{"c":[2,1]},"a":1}""")!.AsObject() }, typeof(Plugin)));

        var x = new Route { Headers = new() { ["a"] = ["1"], ["b"] = ["2"] } };
        var y = new Route { Headers = new() { ["b"] = ["2"], ["a"] = ["1"] } };
        Assert.True(JsonEquality.Equal(x, y, typeof(Route)));
    }

    [Fact]
    public void An_empty_list_is_not_a_missing_one_and_lists_compare_in_order()
    {
        Assert.False(JsonEquality.Equal(new Route { Hosts = [] }, new Route { Hosts = null }, typeof(Route)));
        Assert.False(JsonEquality.Equal(new Route { Hosts = ["a", "b"] }, new Route { Hosts = ["b", "a"] }, typeof(Route)));
        Assert.False(JsonEquality.Equal(new Route { Hosts = ["a"] }, new Route { Hosts = ["a", "a"] }, typeof(Route)));
        Assert.True(JsonEquality.Equal(new Route { Hosts = ["a", "b"] }, new Route { Hosts = ["a", "b"] }, typeof(Route)));
    }
}
