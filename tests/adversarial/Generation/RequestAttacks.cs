using System.Text;
using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.PluginEngine;

namespace Gateway.Adversarial.Generation;

/// <summary>
/// Attacks on the rest of an Admin API request: its content type, form keys, path, id, method, Host and Origin,
/// and the shape of a declarative document.
/// </summary>
public static class RequestAttacks
{
    private static readonly string[] PlainTextTypes = ["text/plain", "text/plain; charset=utf-8", "TEXT/PLAIN", " text/plain"];

    private static readonly string[] OddContentTypes =
    [
        "application/xml", "text/html", "application/octet-stream", "image/png", "application/json-patch+json",
        "application/jsonx", "application/json; charset=utf-16", "application/json; charset=latin1", "*/*", "", ";",
        "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=x",
        "multipart/form-data; boundary=" + new string('b', 5000), "application/json, text/plain", "json",
    ];

    private static readonly string[] OddFormPairs =
    [
        "a..b=1", "a[999999]=1", "tags[999999]=x", "tags[2147483647]=x", "tags[99999999999]=x", "config.=1", ".config=1",
        "config..minute=1", "config[]=x", "config.minute[]=1", "config.minute[0]=1", "[]=1", "=1", "&&&", "name", "name=",
        "%=%", "a%5B0%5D=1", "config.minute=1&config=x", "config=x&config.minute=1", "tags=x&tags[0]=y", "tags[0]=x&tags.a=y",
        "a[-1]=1", "a[0x1]=1", "a[ 1]=1", "a[1]]=1", "a[[1]=1", "config.redis.host.x.y=1", "tags[]=&tags[]=", "+=+",
        "%2e%2e=1", "config%2Eminute=1", "a=%ZZ", "a=%", "a=%E0%A4%A", "__proto__=1", "constructor.prototype=1",
        "tags[0]=a&tags[0]=b", "id=x", "created_at=-1", "config.minute=1e400", "config.minute=NaN",
    ];

    private static readonly string[] UnknownMethods = ["TRACE", "FOO", "PROPFIND", "M-SEARCH", "PURGE", "LINK", new string('A', 1000)];

    private static readonly string[] LooseMethods = ["post", "get", "Patch", "GET\x01", "G ET", "CONNECT", "PRI"];

    private static readonly string[] OddQueries =
    [
        "?size=0", "?size=-1", "?size=1001", "?size=99999999999999999999", "?size=1e400", "?offset=%00", "?offset=" + new string('z', 2000),
        "?offset=eyJpZCI6MX0", "?tags=" + new string('t', 3000), "?tags=a,b/c", "?format=json", "?dry_run=maybe", "?a=1&a=2",
        "?%00=%00", "?size=10&size=20", "?" + string.Join('&', Enumerable.Range(0, 500).Select(i => $"p{i}={i}")),
    ];

    private static readonly string[] ForeignHosts =
    [
        "evil.example", "evil.example:8001", "127.0.0.1.evil.example", "localhost.evil.example", "192.168.1.10",
        "10.0.0.1:8001", "example.com", "xn--e1afmkfd.example",
    ];

    private static readonly string[] ForeignOrigins = ["http://evil.example", "https://evil.example:8443", "null", "http://127.0.0.1.evil.example"];

    /// <summary>
    /// An acceptable body under another content type. Browsers send text/plain across sites without asking, so a
    /// write in text/plain is refused; other odd types only must not be a 5xx.
    /// </summary>
    public static AdminDraft ContentType(CaseRandom random, Func<EntityKind, Delivery> deliver, int n)
    {
        var kind = random.Pick(EntityCatalog.All);
        var delivery = deliver(kind);
        var body = delivery.Wrap(RawJson.Write(delivery.Base(ValidBodies.For(kind, n))));
        var plain = random.Chance(30);
        var draft = new AdminDraft("content-type", delivery.Method, delivery.Path, AdminDraft.Utf8(body), plain)
        {
            ContentType = plain ? random.Pick(PlainTextTypes) : random.Pick(OddContentTypes),
        };
        return random.Chance(10) && !plain
            ? draft with { ExtraHeaders = [("Content-Type", random.Pick(PlainTextTypes))] }
            : draft;
    }

    /// <summary>A form body with keys Kong's form decoding may trip over: any answer but a 5xx.</summary>
    public static AdminDraft FormKeys(CaseRandom random, Func<EntityKind, Delivery> deliver, int n)
    {
        var kind = random.Pick(EntityCatalog.All);
        var delivery = deliver(kind);
        var pairs = new List<string>();
        foreach (var (key, value) in Flatten(delivery.Base(ValidBodies.For(kind, n)), ""))
            pairs.Add(Uri.EscapeDataString(key) + "=" + Uri.EscapeDataString(value));
        var odd = random.Between(1, 4);
        for (var i = 0; i < odd; i++) pairs.Insert(random.Next(pairs.Count + 1), random.Pick(OddFormPairs));
        if (random.Chance(5)) pairs.AddRange(Enumerable.Repeat("tags[]=x", random.Between(1_000, 10_000)));
        if (random.Chance(5)) pairs.AddRange(Enumerable.Range(0, random.Between(500, 2_000)).Select(i => $"k{i}=v"));
        var path = delivery.Endpoint is null ? "/consumers" : delivery.Path;
        return new AdminDraft("form-keys", delivery.Method, path, AdminDraft.Utf8(string.Join('&', pairs)), false)
        {
            ContentType = "application/x-www-form-urlencoded",
        };
    }

    /// <summary>
    /// Every path shape with odd ids, queries and methods. An unknown method, or a write whose id holds a NUL, is
    /// refused; anything else only must not be a 5xx.
    /// </summary>
    public static AdminDraft Paths(CaseRandom random, int n)
    {
        var shape = random.Pick(AdminEndpoints.PathShapes);
        var withNul = false;
        var path = new StringBuilder();
        var rest = shape.AsSpan();
        while (rest.IndexOf('{') is var open and >= 0)
        {
            path.Append(rest[..open]);
            var close = rest.IndexOf('}');
            var id = rest[(open + 1)..close] is "plugin" ? PluginName(random) : Id(random);
            withNul |= id.Contains("%00") || id.Contains('\0');
            path.Append(id);
            rest = rest[(close + 1)..];
        }
        path.Append(rest);
        if (random.Chance(25)) path.Append(random.Pick(OddQueries));

        var (method, unknown) = random.Next(100) switch
        {
            < 40 => ("GET", false),
            < 80 => (random.Pick<string>(["POST", "PUT", "PATCH", "DELETE"]), false),
            < 85 => (random.Pick<string>(["HEAD", "OPTIONS"]), false),
            < 93 => (random.Pick(UnknownMethods), true),
            _ => (random.Pick(LooseMethods), false),
        };
        var body = method is "POST" or "PUT" or "PATCH" ? RawJson.Write(ValidBodies.For(random.Pick(EntityCatalog.All), n)) : "";
        var mustRefuse = unknown || (withNul && method is "POST" or "PUT" or "PATCH");
        return new AdminDraft("paths", method, path.ToString(), AdminDraft.Utf8(body), mustRefuse);
    }

    /// <summary>
    /// What a web page can make a browser send: a Host that is not loopback (DNS rebinding), a write from another
    /// origin or site, a text/plain POST /config. Without a token the Admin API refuses all of them.
    /// </summary>
    public static AdminDraft CrossSite(CaseRandom random, int n)
    {
        var consumer = RawJson.Write(new JsonObject { ["username"] = $"xsite-{n}" });
        return random.Next(5) switch
        {
            0 => new AdminDraft("cross-site", random.Pick<string>(["GET", "GET", "POST"]), random.Pick<string>(["/consumers", "/config", "/certificates", "/"]),
                [], true) { Host = random.Pick(ForeignHosts) },
            1 => new AdminDraft("cross-site", "POST", "/consumers", AdminDraft.Utf8(consumer), true)
            {
                ExtraHeaders = [("Origin", random.Pick(ForeignOrigins)), ("Sec-Fetch-Site", "cross-site")],
            },
            2 => new AdminDraft("cross-site", "PATCH", "/services/svc", AdminDraft.Utf8($"{{\"retries\":{n % 10}}}"), true)
            {
                ExtraHeaders = [("Sec-Fetch-Site", "cross-site")],
            },
            3 => new AdminDraft("cross-site", "POST", "/config", AdminDraft.Utf8(RawJson.Write(AdminFixture.Document())), true)
            {
                ContentType = random.Pick(PlainTextTypes),
            },
            _ => new AdminDraft("cross-site", "POST", "/consumers", AdminDraft.Utf8($"username=xsite-form-{n}"), true)
            {
                ContentType = "application/x-www-form-urlencoded",
                ExtraHeaders = [("Origin", random.Pick(ForeignOrigins))],
            },
        };
    }

    /// <summary>A declarative document broken in its structure (not in one entity's field): always a 4xx.</summary>
    public static AdminDraft ConfigDocument(CaseRandom random, int n)
    {
        var document = AdminFixture.Document();
        switch (random.Next(8))
        {
            case 0: document["_format_version"] = random.Pick<JsonNode?>([3.0, "9.9", new JsonArray(), true, ""]); break;
            case 1: document.Remove("_format_version"); break;
            case 2: document[random.Pick(EntityCatalog.All).Name] = random.Pick<JsonNode>(["x", 1, new JsonObject { ["a"] = 1 }, true]); break;
            case 3: document[random.Pick<string>(["servicez", "Services", "", "_format_version2", "routes.x"])] = new JsonArray(); break;
            case 4: ((JsonArray)document["services"]!).Add(random.Pick<JsonNode>([1, "x", new JsonArray(), true])); break;
            case 5: ((JsonObject)document["services"]![0]!)["routes"] = random.Pick<JsonNode>(["x", 1, new JsonObject()]); break;
            case 6: ((JsonArray)document["services"]!).Add(new JsonObject { ["id"] = AdminFixture.ServiceId, ["name"] = $"dup-{n}", ["host"] = "a.example" }); break;
            default:
                document["routes"] = new JsonArray(new JsonObject
                {
                    ["paths"] = new JsonArray("/dangling"), ["service"] = new JsonObject { ["id"] = Guid.Empty.ToString() },
                });
                break;
        }
        var text = RawJson.Write(document);
        return random.Next(3) switch
        {
            0 => new AdminDraft("config-doc", "POST", "/config", AdminDraft.Utf8(text), true),
            1 => new AdminDraft("config-doc", "POST", "/config", AdminDraft.Utf8(RawJson.Write(new JsonObject { ["config"] = text })), true),
            _ => new AdminDraft("config-doc", "POST", "/config", AdminDraft.Utf8(text), true) { ContentType = "application/x-yaml" },
        };
    }

    /// <summary>A YAML document nested thousands of levels deep, for the YAML reader of <c>POST /config</c>: always a 4xx.</summary>
    public static AdminDraft DeepYaml(CaseRandom random)
    {
        var depth = random.Between(1_000, 3_000);
        var yaml = new StringBuilder("_format_version: \"3.0\"\nservices: ");
        if (random.Chance(50))
        {
            yaml.Append('[', depth).Append(']', depth);
        }
        else
        {
            yaml.Append('\n');
            for (var i = 0; i < depth / 4; i++) yaml.Append(' ', 2 * i).Append("- a:\n");
        }
        return new AdminDraft("deep-nesting", "POST", "/config", AdminDraft.Utf8(yaml.ToString()), true)
        {
            ContentType = random.Chance(50) ? "application/x-yaml" : null,
        };
    }

    private static string Id(CaseRandom random)
    {
        if (random.Chance(30))
        {
            var keys = AdminFixture.Keys.Values.SelectMany(k => k).ToArray();
            return random.Pick(keys);
        }
        return random.Pick(AdminEndpoints.OddIds);
    }

    private static string PluginName(CaseRandom random) =>
        random.Chance(60) ? random.Pick(BundledPlugins.All).Name : random.Pick(AdminEndpoints.OddIds);

    private static IEnumerable<(string Key, string Value)> Flatten(JsonObject body, string prefix)
    {
        foreach (var (key, value) in body)
        {
            var name = prefix + key;
            switch (value)
            {
                case JsonObject nested:
                    foreach (var pair in Flatten(nested, name + ".")) yield return pair;
                    break;
                case JsonArray array:
                    foreach (var item in array) yield return (name + "[]", item?.ToString() ?? "");
                    break;
                default:
                    yield return (name, value?.ToString() ?? "");
                    break;
            }
        }
    }
}
