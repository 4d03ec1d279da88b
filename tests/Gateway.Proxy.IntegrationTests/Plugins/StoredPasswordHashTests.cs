using System.Text;
using Gateway.Proxy.Admin;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.IntegrationTests.Admin;
using Gateway.Proxy.Store.Memory;

namespace Gateway.Proxy.IntegrationTests.Plugins;

/// <summary>
/// A basic-auth password written already hashed is stored as it is, and every login pays for its iterations: so a
/// hash outside the cost limits is refused at write time with a 400 naming the field, by the Admin API (Postgres and
/// DB-less POST /config) and in declarative files, and nothing is stored.
/// </summary>
public sealed class StoredPasswordHashTests(AdminPostgres postgres) : AdminTestBase(postgres)
{
    private static readonly string Salt = Convert.ToBase64String(new byte[16]);
    private static readonly string Digest = Convert.ToBase64String(new byte[32]);

    private static string Hash(string iterations, string? salt = null) => $"pbkdf2-sha256${iterations}${salt ?? Salt}${Digest}";

    public static TheoryData<string> RefusedHashes => new()
    {
        Hash("2147483647"),
        Hash("1000001"),
        Hash("999"),
        Hash("1"),
        Hash("20000", Convert.ToBase64String(new byte[4])),
    };

    [Theory]
    [MemberData(nameof(RefusedHashes))]
    public async Task The_admin_api_refuses_a_hash_outside_the_limits_naming_the_field(string hash)
    {
        (await Client.PostFormAsync("/consumers", ("username", "alice"))).Expect(201);

        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/consumers/alice/basic-auth",
            $$"""{"username": "Aladdin", "password": "{{hash}}"}"""));

        Assert.Contains("1000 to 1000000 iterations", reply.Json["fields"]!["password"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(RefusedHashes))]
    public async Task An_update_to_a_hash_outside_the_limits_is_refused_too(string hash)
    {
        (await Client.PostFormAsync("/consumers", ("username", "alice"))).Expect(201);
        var id = (await Client.PostFormAsync("/consumers/alice/basic-auth", ("username", "Aladdin"), ("password", "OpenSesame"))).Expect(201).Id;

        var reply = await RefusedAsync(400, () => Client.JsonAsync("PATCH", $"/basic-auths/{id}", $$"""{"password": "{{hash}}"}"""));

        Assert.NotNull(reply.Json["fields"]!["password"]);
    }

    [Theory]
    [InlineData("1000")]
    [InlineData("1000000")]
    public async Task A_hash_within_the_limits_is_stored_as_it_is(string iterations)
    {
        (await Client.PostFormAsync("/consumers", ("username", "alice"))).Expect(201);

        var created = (await Client.PostJsonAsync("/consumers/alice/basic-auth",
            $$"""{"username": "Aladdin", "password": "{{Hash(iterations)}}"}""")).Expect(201);

        Assert.Equal(Hash(iterations), created.String("password"));
    }

    private static string File(string password) => $"""
        _format_version: "3.0"
        consumers:
        - username: alice
          basicauth_credentials:
          - username: Aladdin
            password: "{password}"
        """;

    [Theory]
    [MemberData(nameof(RefusedHashes))]
    public void A_declarative_file_with_a_hash_outside_the_limits_is_invalid_naming_the_field(string hash)
    {
        var parsed = DeclarativeParser.Parse(File(hash));

        Assert.False(parsed.IsValid);
        Assert.Contains("password", parsed.Describe());
        Assert.Contains("iterations", parsed.Describe());
    }

    [Theory]
    [MemberData(nameof(RefusedHashes))]
    public async Task Post_config_refuses_a_hash_outside_the_limits_and_keeps_the_configuration(string hash)
    {
        var initial = DeclarativeParser.Parse(File(Hash("20000")));
        Assert.True(initial.IsValid, initial.Describe());
        await using var dbLess = await AdminApiHost.StartAsync(new MemoryConfigStore(initial.Config),
            new AdminApiOptions { Database = "off" });
        var before = await AdminPostgres.StateAsync(dbLess.Store);

        var reply = (await dbLess.Client.SendAsync(HttpMethod.Post, "/config", new StringContent(File(hash), Encoding.UTF8, "text/yaml")))
            .Expect(400);

        Assert.Contains("iterations", reply.Json["fields"]!["consumers"]![0]!["basicauth_credentials"]![0]!["password"]!.GetValue<string>());
        Assert.Equal(before, await AdminPostgres.StateAsync(dbLess.Store));
    }
}
