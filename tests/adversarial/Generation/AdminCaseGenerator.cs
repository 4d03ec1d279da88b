using Gateway.Proxy.Entities;

namespace Gateway.Adversarial.Generation;

/// <summary>Where the attacked gateway keeps its configuration: the attacks lean on what each store can do.</summary>
public enum AdminStore { DbLess, Postgres }

/// <summary>
/// The malformed Admin API requests of a run: case <c>i</c> of seed <c>s</c> is always the same request. A DB-less
/// gateway refuses entity writes (405), so against it most entity bodies travel inside a <c>POST /config</c>
/// document instead; against Postgres they go to every entity path and nested path.
/// </summary>
public sealed class AdminCaseGenerator(AdminStore store)
{
    private delegate AdminDraft Attack(CaseRandom random, Func<EntityKind, Delivery> deliver, int index);

    private static (Attack Attack, int Weight)[] AttacksFor(AdminStore store) =>
    [
        (BodyAttacks.WrongType, 20),
        (BodyAttacks.PluginConfig, 16),
        (BodyAttacks.HugeNumber, 8),
        (BodyAttacks.DeepNesting, 4),
        ((random, _, _) => RequestAttacks.DeepYaml(random), 1),
        (BodyAttacks.HugeString, 2),
        (BodyAttacks.InvalidUtf8, 6),
        (BodyAttacks.Nul, 7),
        (BodyAttacks.DuplicateKeys, 5),
        (BodyAttacks.BadJson, 5),
        (RequestAttacks.ContentType, 5),
        (RequestAttacks.FormKeys, 8),
        ((random, _, index) => RequestAttacks.Paths(random, index), 10),
        ((random, _, index) => RequestAttacks.CrossSite(random, index), 3),
        ((random, _, index) => RequestAttacks.ConfigDocument(random, index), store == AdminStore.DbLess ? 12 : 3),
    ];

    private readonly (Attack Attack, int Weight)[] _attacks = AttacksFor(store);

    /// <summary>The attack names, for summaries: every case's <see cref="AdminCase.Class"/> is one of them.</summary>
    public static readonly IReadOnlyList<string> Classes =
    [
        "wrong-type", "plugin-config", "huge-number", "deep-nesting", "huge-string", "invalid-utf8", "nul", "duplicate-keys",
        "bad-json", "content-type", "form-keys", "paths", "cross-site", "config-doc",
    ];

    public AdminStore Store => store;

    public AdminCase Generate(int seed, int index)
    {
        var random = new CaseRandom(seed, store == AdminStore.DbLess ? "admin-dbless" : "admin-postgres", index);
        var attack = random.Weighted(_attacks);
        return attack(random, kind => Deliver(random, kind, index), index).ToCase(index);
    }

    private Delivery Deliver(CaseRandom random, EntityKind kind, int index)
    {
        var inDocument = store == AdminStore.DbLess ? random.Chance(70) : random.Chance(5);
        var endpoints = AdminEndpoints.BodyWrites(kind, index);
        return inDocument || endpoints.Count == 0 ? new Delivery(null, kind) : new Delivery(random.Pick(endpoints), kind);
    }
}
