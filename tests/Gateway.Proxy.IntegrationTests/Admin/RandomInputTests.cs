using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>
/// Seeded random bodies for every kind and write method: whatever the input, the answer is never a 500
/// (<see cref="AdminClient"/> fails the test on one), and refused writes leave the configuration unchanged.
/// </summary>
public class RandomInputTests(AdminPostgres postgres) : AdminTestBase(postgres)
{
    private static readonly JsonNode?[] OddValues =
    [
        null, "", " ", "a", "~/[", "/ok", "*.*", "http://x", "\u00e9\u4e2d", new string('x', 3000), "-1", "1e999", "true",
        0, -1, 1.5, 65536, long.MaxValue, 1e300, true, false,
    ];

    [Fact]
    public async Task Random_writes_never_fail_with_500()
    {
        var random = new Random(20240611);
        var service = await ServiceAsync("billing");
        await CreateAsync("/upstreams", """{"name":"pool"}""");
        var paths = new[] { "/services", "/routes", "/consumers", "/plugins", "/upstreams", "/certificates", "/snis",
            "/upstreams/pool/targets", $"/services/{service}/routes", "/services/billing/plugins" };

        for (var i = 0; i < 150; i++)
        {
            var path = paths[random.Next(paths.Length)];
            var kind = EntityCatalog.Find(path.Split('/')[^1])!;
            var body = RandomBody(random, kind);
            var before = await AdminPostgres.StateAsync(Store);
            var reply = random.Next(3) switch
            {
                0 => await Client.PostJsonAsync(path, body.ToJsonString()),
                1 => await Client.FormAsync("POST", path, Flatten(body).ToArray()),
                _ => await Client.JsonAsync(random.Next(2) == 0 ? "PUT" : "PATCH", path.StartsWith("/upstreams/pool") ? path + "/10.0.0.1" : path + "/billing", body.ToJsonString()),
            };
            if ((int)reply.Status >= 400) Assert.Equal(before, await AdminPostgres.StateAsync(Store));
        }
    }

    private static JsonObject RandomBody(Random random, EntityKind kind)
    {
        var body = new JsonObject();
        foreach (var field in kind.Schema.Fields)
        {
            if (random.Next(3) != 0) continue;
            body[field.Name] = random.Next(4) switch
            {
                0 => OddValues[random.Next(OddValues.Length)]?.DeepClone(),
                1 => new JsonArray(OddValues[random.Next(OddValues.Length)]?.DeepClone()),
                2 => new JsonObject { ["id"] = random.Next(2) == 0 ? Guid.NewGuid().ToString() : OddValues[random.Next(OddValues.Length)]?.DeepClone() },
                _ => field.Default?.DeepClone(),
            };
        }
        if (random.Next(5) == 0) body["unexpected"] = "x";
        return body;
    }

    private static IEnumerable<(string, string)> Flatten(JsonObject body)
    {
        foreach (var (key, value) in body)
        {
            switch (value)
            {
                case JsonArray array:
                    foreach (var item in array) yield return (key + "[]", item?.ToString() ?? "");
                    break;
                case JsonObject obj:
                    foreach (var (inner, innerValue) in obj) yield return ($"{key}.{inner}", innerValue?.ToString() ?? "");
                    break;
                default:
                    yield return (key, value?.ToString() ?? "");
                    break;
            }
        }
    }
}
