using Gateway.Proxy.Admin.Entities;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Adversarial.Generation;

/// <summary>
/// A write that carries an entity body: <c>POST /routes</c>, <c>POST /services/svc/routes</c>,
/// <c>PUT /routes/{new}</c>, <c>PATCH /consumers/alice/key-auth/{id}</c> …. <paramref name="ParentField"/> is the
/// reference a nested path fills in from the path, <paramref name="KeyField"/> the field a PUT takes from the path:
/// a bad value there may be overridden rather than refused.
/// </summary>
public sealed record BodyEndpoint(string Method, string Path, EntityKind Kind, FieldSpec? ParentField, string? KeyField)
{
    public bool Overrides(FieldTarget target) =>
        target.Path.Count == 1 && (target.Field == ParentField || target.Field.Name == KeyField);
}

/// <summary>The Admin API's entity paths, derived from the gateway's entity catalog and pointed at the fixture.</summary>
public static class AdminEndpoints
{
    /// <summary>Ids that name nothing, or that no entity can have.</summary>
    public static readonly IReadOnlyList<string> OddIds =
    [
        "", "%00", "a%00b", "..", ".", "%2e%2e", "%2E", "%2F", "a%2Fb", "%5C", "a%5Cb", "%C3%28", "%FF%FE", "%C0%AE%C0%AE",
        "%E2%80%AE", "%F0%9F%92%A9", "%EF%BF%BD", "%u0041", "%", "%zz", "%2", "%25", "%2500", "%20", "+", "a;b", "a%3Bb",
        "*", "null", "undefined", "-1", "0", "1e400", "{id}", "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff", "5E4B1C3A-0000-4000-8000-000000000001", "5e4b1c3a00004000800000000000001",
        new string('a', 300), new string('x', 10_000), "%C3%A9l%C3%A8ve", "a%0Db", "a%0Ab", "a%09b", "a%7Fb",
    ];

    /// <summary>The writes of <paramref name="kind"/> that take a body, each naming fixture entities.</summary>
    public static IReadOnlyList<BodyEndpoint> BodyWrites(EntityKind kind, int n)
    {
        var endpoints = new List<BodyEndpoint>();
        var topLevel = IsTopLevel(kind);
        var newKey = kind.EndpointKey is null ? NewId(n) : $"gen-put-{n}";
        if (topLevel)
        {
            endpoints.Add(new("POST", $"/{kind.AdminPath}", kind, null, null));
            endpoints.Add(new("PUT", $"/{kind.AdminPath}/{newKey}", kind, null, kind.EndpointKey));
            foreach (var key in FixtureKeys(kind))
                endpoints.Add(new("PATCH", $"/{kind.AdminPath}/{key}", kind, null, null));
        }
        foreach (var field in kind.References)
        {
            var parent = EntityReferences.Target(field);
            if (EntityPath.Parse([parent.AdminPath, "x", kind.NestedAdminPath]) is null) continue;
            foreach (var parentKey in FixtureKeys(parent))
            {
                var nested = $"/{parent.AdminPath}/{parentKey}/{kind.NestedAdminPath}";
                endpoints.Add(new("POST", nested, kind, field, null));
                if (FixtureKeys(kind).FirstOrDefault() is { } child)
                    endpoints.Add(new("PATCH", $"{nested}/{child}", kind, field, null));
            }
        }
        return endpoints;
    }

    /// <summary>Whether <c>/{kind}</c> is a collection of its own (targets only exist under their upstream).</summary>
    public static bool IsTopLevel(EntityKind kind) => EntityPath.Parse([kind.AdminPath]) is not null;

    public static IReadOnlyList<string> FixtureKeys(EntityKind kind) =>
        AdminFixture.Keys.TryGetValue(kind.AdminPath, out var keys) ? keys : [];

    /// <summary>Every path shape the Admin API serves, with <c>{id}</c> where a key goes.</summary>
    public static IReadOnlyList<string> PathShapes { get; } = BuildPathShapes();

    private static string NewId(int n) => $"5e4b1c3a-1111-4000-8000-{n & 0xFFFFFFFF:x12}";

    private static List<string> BuildPathShapes()
    {
        var shapes = new List<string>
        {
            "/", "/status", "/endpoints", "/openapi.json", "/config", "/plugins/enabled", "/schemas/plugins/validate",
            "/schemas/plugins/{plugin}", "/tags/{id}", "/nope", "/services/{id}/nope", "/{id}",
        };
        foreach (var kind in EntityCatalog.All)
        {
            shapes.Add($"/schemas/{kind.Name}");
            shapes.Add($"/schemas/{kind.Name}/validate");
            if (IsTopLevel(kind))
            {
                shapes.Add($"/{kind.AdminPath}");
                shapes.Add($"/{kind.AdminPath}/{{id}}");
                foreach (var field in kind.References) shapes.Add($"/{kind.AdminPath}/{{id}}/{field.Name}");
            }
            foreach (var (child, _) in EntityCatalog.ChildrenOf(kind))
            {
                if (EntityPath.Parse([kind.AdminPath, "x", child.NestedAdminPath]) is null) continue;
                shapes.Add($"/{kind.AdminPath}/{{id}}/{child.NestedAdminPath}");
                shapes.Add($"/{kind.AdminPath}/{{id}}/{child.NestedAdminPath}/{{id}}");
            }
        }
        return shapes;
    }
}
