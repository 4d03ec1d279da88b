using System.Text;
using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Schema;

namespace Gateway.Adversarial.Generation;

/// <summary>
/// Attacks on the body of an entity write: each takes an acceptable body of some kind (or of some bundled
/// plugin's config) and breaks one thing in it.
/// </summary>
public static class BodyAttacks
{
    /// <summary>A value of the wrong JSON type in one field of any entity kind: always a 4xx.</summary>
    public static AdminDraft WrongType(CaseRandom random, Func<EntityKind, Delivery> deliver, int n)
    {
        var (delivery, body, target) = PickField(random, deliver, random.Pick(EntityCatalog.All), n, configOnly: false);
        return delivery.Draft("wrong-type", RawJson.WithRawValue(body, target.Path, random.Pick(WrongValues.For(target.Field))), true);
    }

    /// <summary>A value of the wrong JSON type in one field of a bundled plugin's config: always a 4xx.</summary>
    public static AdminDraft PluginConfig(CaseRandom random, Func<EntityKind, Delivery> deliver, int n)
    {
        var (delivery, body, target) = PickField(random, deliver, EntityCatalog.Plugins, n, configOnly: true);
        return delivery.Draft("plugin-config", RawJson.WithRawValue(body, target.Path, random.Pick(WrongValues.For(target.Field))), true);
    }

    /// <summary>
    /// Numbers past what parsers represent (1e400, 2^63) or at the edges (-0, 2^31): an integer that fits in no
    /// 64 bits, or a number where the field is no number, is a 4xx; the rest only must not be a 5xx.
    /// </summary>
    public static AdminDraft HugeNumber(CaseRandom random, Func<EntityKind, Delivery> deliver, int n)
    {
        var kind = random.Chance(50) ? EntityCatalog.Plugins : random.Pick(EntityCatalog.All);
        var (delivery, body, target) = PickField(random, deliver, kind, n, configOnly: kind == EntityCatalog.Plugins && random.Chance(70));
        var impossible = random.Chance(50);
        var number = random.Pick(impossible ? WrongValues.ImpossibleIntegers : WrongValues.EdgeNumbers);
        var mustRefuse = target.Field.Kind switch
        {
            FieldKind.Integer => impossible,
            FieldKind.Number => false,
            _ => true,
        };
        return delivery.Draft("huge-number", RawJson.WithRawValue(body, target.Path, number), mustRefuse);
    }

    /// <summary>Thousands of nested arrays or objects in a field, or a body nested as deep: always a 4xx.</summary>
    public static AdminDraft DeepNesting(CaseRandom random, Func<EntityKind, Delivery> deliver, int n)
    {
        var depth = random.Between(1_000, 5_000);
        var (delivery, body, target) = PickField(random, deliver, random.Pick(EntityCatalog.All), n, configOnly: false);
        var nested = random.Next(3) switch
        {
            0 => Repeat("[", depth) + Repeat("]", depth),
            1 => Repeat("{\"a\":", depth) + "1" + Repeat("}", depth),
            _ => Repeat("[{\"a\":", depth) + "1" + Repeat("}]", depth),
        };
        return delivery.Draft("deep-nesting", RawJson.WithRawValue(body, target.Path, nested), true);
    }

    /// <summary>
    /// Strings of 64 KB to 17 MB. They go where they cannot be stored (a schema validation, or beside a value of the
    /// wrong type), so the run stays fast; 17 MB is past any body limit of a few MB and must be refused.
    /// </summary>
    public static AdminDraft HugeString(CaseRandom random, Func<EntityKind, Delivery> deliver, int n)
    {
        var size = random.Weighted<int>([(64 << 10, 6), (1 << 20, 3), (4 << 20, 2), (17 << 20, 1)]);
        var kind = random.Pick(EntityCatalog.All);
        var huge = RawJson.Quote(new string((char)('a' + random.Next(26)), size));
        var overLimit = size > 16 << 20;
        if (random.Chance(50))
        {
            var body = ValidBodies.For(kind, n);
            var target = random.Pick(FieldTargets.Of(kind));
            var text = RawJson.WithRawValue(body, target.Path, huge);
            return new AdminDraft("huge-string", "POST", $"/schemas/{kind.Name}/validate", AdminDraft.Utf8(text),
                overLimit || target.Field.Kind != FieldKind.String);
        }
        var (delivery, broken, wrong) = PickField(random, deliver, kind, n, configOnly: false);
        var withWrongValue = RawJson.WithRawValue(broken, wrong.Path, random.Pick(WrongValues.For(wrong.Field)));
        var withHuge = withWrongValue.Insert(1, "\"tags\":[" + huge + "],");
        if (wrong.Name == "tags") withHuge = withWrongValue.Insert(1, "\"x_huge\":" + huge + ",");
        return delivery.Draft("huge-string", withHuge, true);
    }

    /// <summary>Bytes that are not UTF-8 inside a string value or a key: any answer but a 5xx.</summary>
    public static AdminDraft InvalidUtf8(CaseRandom random, Func<EntityKind, Delivery> deliver, int n)
    {
        var (delivery, body, target) = PickField(random, deliver, random.Pick(EntityCatalog.All), n, configOnly: false);
        const string marker = "@@harness-bytes@@";
        var text = random.Chance(70)
            ? RawJson.WithRawValue(body, target.Path, "\"a" + marker + "b\"")
            : RawJson.Write(body).Insert(1, "\"k" + marker + "\":1,");
        var draft = delivery.Draft("invalid-utf8", text, false);
        return draft with { Body = Splice(draft.Body, Encoding.UTF8.GetBytes(marker), random.Pick(InvalidUtf8Sequences)) };
    }

    /// <summary>A NUL character in a value, a key, or as a raw byte: no database stores it, so always a 4xx.</summary>
    public static AdminDraft Nul(CaseRandom random, Func<EntityKind, Delivery> deliver, int n)
    {
        var (delivery, body, target) = PickField(random, deliver, random.Pick(EntityCatalog.All), n, configOnly: false);
        var text = random.Next(4) switch
        {
            0 => RawJson.WithRawValue(body, target.Path, "\"a\\u0000b\""),
            1 => RawJson.WithRawValue(body, target.Path, "[\"\\u0000\"]"),
            2 => RawJson.Write(body).Insert(1, "\"" + target.Name + "\\u0000\":\"x\","),
            _ => RawJson.WithRawValue(body, target.Path, "\"a\0b\""),
        };
        return delivery.Draft("nul", text, true);
    }

    /// <summary>The same key twice in one object, at the top or inside a plugin's config: always a 4xx.</summary>
    public static AdminDraft DuplicateKeys(CaseRandom random, Func<EntityKind, Delivery> deliver, int n)
    {
        var (delivery, body, _) = PickField(random, deliver, random.Pick(EntityCatalog.All), n, configOnly: false);
        var inConfig = body["config"] is JsonObject config && config.Count > 0 && random.Chance(50);
        var holder = inConfig ? (JsonObject)body["config"]! : body;
        var key = random.Pick(holder.Select(p => p.Key).ToArray());
        var pair = RawJson.Quote(key) + ":" + (holder[key] is { } value ? RawJson.Write(value) : "null") + ",";
        var text = inConfig
            ? RawJson.WithRawValue(body, ["config"], RawJson.Write(holder).Insert(1, pair))
            : RawJson.Write(body).Insert(1, pair);
        return delivery.Draft("duplicate-keys", text, true);
    }

    /// <summary>Text that is not a JSON object: broken syntax, JSON5 and JavaScript spellings, other JSON values.</summary>
    public static AdminDraft BadJson(CaseRandom random, Func<EntityKind, Delivery> deliver, int n)
    {
        var delivery = deliver(random.Pick(EntityCatalog.All));
        var text = random.Pick(BadJsonTexts);
        var draft = new AdminDraft("bad-json", delivery.Method, delivery.Path, AdminDraft.Utf8(text), true);
        return random.Chance(20) ? draft with { ContentType = null } : draft;
    }

    /// <summary>
    /// An acceptable body of <paramref name="kind"/> for a delivery picked by <paramref name="deliver"/>, and one of its
    /// fields (or, for a plugin, of its config) that the delivery does not fill in itself.
    /// </summary>
    public static (Delivery Delivery, JsonObject Body, FieldTarget Target) PickField(
        CaseRandom random, Func<EntityKind, Delivery> deliver, EntityKind kind, int n, bool configOnly)
    {
        var delivery = deliver(kind);
        PluginDefinition? plugin = kind == EntityCatalog.Plugins ? random.Pick(BundledPlugins.All) : null;
        var body = delivery.Base(plugin is null ? ValidBodies.For(kind, n) : ValidBodies.Plugin(plugin));
        var targets = configOnly && plugin is not null ? FieldTargets.OfConfig(plugin) : FieldTargets.Of(kind);
        var open = targets.Where(t => !delivery.Overrides(t)).ToArray();
        return (delivery, body, random.Pick(open.Length > 0 ? open : targets));
    }

    private static readonly byte[][] InvalidUtf8Sequences =
    [
        [0xC3, 0x28], [0xFF], [0xFE, 0xFF], [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80],
        [0xF4, 0x90, 0x80, 0x80], [0x80], [0xF0, 0x9F, 0x92], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xEF, 0xBB, 0xBF],
    ];

    private static readonly string[] BadJsonTexts =
    [
        "{", "}", "{\"username\":", "{\"username\":\"a\",}", "{\"username\":\"a\"", "{'username':'a'}", "{username:\"a\"}",
        "{\"username\":\"a\"} {\"x\":1}", "{\"username\":\"a\"}x", "[{\"username\":\"a\"}]", "\"a\"", "1", "true", "null", "[]",
        "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":-Infinity}", "{\"a\":+1}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":1.}",
        "{\"a\":0x10}", "/* c */{\"a\":1}", "{\"a\":1 // c\n}", "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00x\"}",
        "{\"a\":\"\\u12\"}", "{\"a\":\"tab\there\"}", "{\"a\":\"line\nbreak\"}", "{\"a\" \"b\"}", "{\"a\":[1,2}", "{\"a\":}", "{,}",
        "{\"a\":1,,\"b\":2}", "\uFEFF\uFEFF{}", "{\"a\":\"b\"\0}", "\0", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":1e}", "{\"a\":-}",
    ];

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    private static byte[] Splice(byte[] bytes, byte[] marker, byte[] replacement)
    {
        var at = bytes.AsSpan().IndexOf(marker);
        return at < 0 ? bytes : [.. bytes[..at], .. replacement, .. bytes[(at + marker.Length)..]];
    }
}
