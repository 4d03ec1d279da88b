using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.Admin;
using Gateway.Proxy.Entities;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Secrets;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>
/// Credentials through Kong's nested paths (/consumers/{username}/key-auth, /basic-auth, /jwt), in JSON and forms:
/// created, listed, read back, deleted; keys and passwords never stored or shown later in clear.
/// </summary>
public class CredentialEndpointsTests(AdminPostgres postgres) : AdminTestBase(postgres)
{
    protected override AdminApiOptions Options => new() { Plugins = PluginCatalog.Bundled.ForAdminApi() };

    private async Task<string> AliceAsync() => (await Client.PostFormAsync("/consumers", ("username", "alice"))).Expect(201).Id;

    private static JsonArray Data(AdminReply reply) => reply.Json["data"]!.AsArray();

    private static string[] Strings(JsonNode array) => array.AsArray().Select(e => e!.GetValue<string>()).ToArray();

    private async Task<T> StoredAsync<T>(string id) where T : Entity =>
        (T)(await Store.GetAsync(EntityCatalog.Of(typeof(T)), Guid.Parse(id), CancellationToken.None))!;

    [Fact]
    public async Task Basic_auth_credentials_are_created_by_form_and_json_stored_hashed_listed_read_and_deleted()
    {
        var alice = await AliceAsync();

        var byForm = (await Client.PostFormAsync("/consumers/alice/basic-auth", ("username", "Aladdin"), ("password", "OpenSesame"))).Expect(201);
        var byJson = (await Client.PostJsonAsync($"/consumers/{alice}/basic-auth", """{"username": "Genie", "password": "Lamp-2"}""")).Expect(201);

        Assert.Equal(alice, byForm.Json["consumer"]!["id"]!.GetValue<string>());
        Assert.Equal("Aladdin", byForm.String("username"));
        foreach (var created in new[] { byForm, byJson })
        {
            Assert.StartsWith("pbkdf2-sha256$", created.String("password"));
            Assert.DoesNotContain("OpenSesame", created.Text);
            Assert.DoesNotContain("Lamp-2", created.Text);
        }

        var listed = (await Client.GetAsync("/consumers/alice/basic-auth")).Expect(200);
        Assert.Equal(new[] { "Aladdin", "Genie" }, Data(listed).Select(c => c!["username"]!.GetValue<string>()).Order());
        Assert.DoesNotContain("OpenSesame", listed.Text);
        Assert.Equal(2, Data((await Client.GetAsync("/basic-auths")).Expect(200)).Count);

        var read = (await Client.GetAsync("/consumers/alice/basic-auth/Aladdin")).Expect(200);
        Assert.Equal(byForm.Id, read.Id);
        Assert.StartsWith("pbkdf2-sha256$", read.String("password"));
        Assert.Equal(byForm.Id, (await Client.GetAsync($"/basic-auths/{byForm.Id}")).Expect(200).Id);

        var stored = await StoredAsync<BasicAuthCredential>(byForm.Id);
        Assert.True(SecretHash.VerifyPassword("OpenSesame", stored.Password!));
        Assert.False(SecretHash.VerifyPassword("OpenSesamE", stored.Password!));

        (await Client.DeleteAsync("/consumers/alice/basic-auth/Aladdin")).Expect(204);
        (await Client.GetAsync($"/basic-auths/{byForm.Id}")).Expect(404);
        Assert.Single(Data((await Client.GetAsync("/consumers/alice/basic-auth")).Expect(200)));
    }

    [Fact]
    public async Task Basic_auth_usernames_are_unique_and_a_password_is_required()
    {
        await AliceAsync();
        await CreateAsync("/consumers/alice/basic-auth", """{"username": "Aladdin", "password": "OpenSesame"}""");

        await RefusedAsync(409, () => Client.PostJsonAsync("/consumers/alice/basic-auth", """{"username": "Aladdin", "password": "x"}"""));
        var missing = await RefusedAsync(400, () => Client.PostFormAsync("/consumers/alice/basic-auth", ("username", "Genie")));
        Assert.Equal("required field missing", missing.Json["fields"]!["password"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_jwt_credential_created_without_fields_gets_a_generated_key_and_hs256_secret_shown_on_every_read()
    {
        var alice = await AliceAsync();

        var created = (await Client.PostFormAsync("/consumers/alice/jwt")).Expect(201);

        Assert.Equal("HS256", created.String("algorithm"));
        Assert.Matches("^[0-9a-f]{32}$", created.String("key"));
        Assert.Matches("^[0-9a-f]{32}$", created.String("secret"));
        Assert.Equal(alice, created.Json["consumer"]!["id"]!.GetValue<string>());
        var read = (await Client.GetAsync($"/consumers/alice/jwt/{created.String("key")}")).Expect(200);
        Assert.Equal(created.String("secret"), read.String("secret"));
        Assert.Equal(created.Id, (await Client.GetAsync($"/jwts/{created.Id}")).Expect(200).Id);
    }

    [Fact]
    public async Task Jwt_credentials_with_given_fields_are_created_by_form_and_json_listed_and_deleted()
    {
        await AliceAsync();
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportSubjectPublicKeyInfoPem();

        var hmac = (await Client.PostFormAsync("/consumers/alice/jwt", ("key", "alice-issuer"), ("secret", "s3cret"), ("algorithm", "HS512"))).Expect(201);
        var rs256 = (await Client.PostJsonAsync("/consumers/alice/jwt",
            JsonSerializer.Serialize(new { key = "alice-rsa", algorithm = "RS256", rsa_public_key = pem }))).Expect(201);

        Assert.Equal("s3cret", hmac.String("secret"));
        Assert.Equal("HS512", hmac.String("algorithm"));
        Assert.Equal(pem, rs256.String("rsa_public_key"));
        var listed = (await Client.GetAsync("/consumers/alice/jwt")).Expect(200);
        Assert.Equal(new[] { "alice-issuer", "alice-rsa" }, Data(listed).Select(c => c!["key"]!.GetValue<string>()).Order());

        (await Client.DeleteAsync("/consumers/alice/jwt/alice-issuer")).Expect(204);
        (await Client.GetAsync("/jwts/alice-issuer")).Expect(404);
        Assert.Single(Data((await Client.GetAsync("/jwts")).Expect(200)));
    }

    [Fact]
    public async Task A_jwt_credential_with_a_null_algorithm_is_refused_naming_the_field()
    {
        await AliceAsync();

        var refused = await RefusedAsync(400, () => Client.PostJsonAsync("/consumers/alice/jwt", """{"key": "alice-null", "algorithm": null}"""));

        Assert.Equal("required field missing", refused.Json["fields"]!["algorithm"]!.GetValue<string>());
        (await Client.GetAsync("/jwts/alice-null")).Expect(404);
    }

    [Fact]
    public async Task Rsa_and_ecdsa_jwt_credentials_need_a_public_key_that_parses()
    {
        await AliceAsync();
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var missing = await RefusedAsync(400, () => Client.PostJsonAsync("/consumers/alice/jwt", """{"algorithm": "RS256"}"""));
        var garbage = await RefusedAsync(400, () => Client.PostFormAsync("/consumers/alice/jwt",
            ("algorithm", "RS256"), ("rsa_public_key", "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----")));
        var wrongCurve = await RefusedAsync(400, () => Client.PostJsonAsync("/consumers/alice/jwt",
            JsonSerializer.Serialize(new { algorithm = "ES384", rsa_public_key = p256.ExportSubjectPublicKeyInfoPem() })));

        Assert.Equal("required for algorithm RS256", missing.Json["fields"]!["rsa_public_key"]!.GetValue<string>());
        Assert.StartsWith("invalid key: expected an RSA public key", garbage.Json["fields"]!["rsa_public_key"]!.GetValue<string>());
        Assert.StartsWith("invalid key: ES384 needs an EC key on curve P-384", wrongCurve.Json["fields"]!["rsa_public_key"]!.GetValue<string>());
        (await Client.PostJsonAsync("/consumers/alice/jwt",
            JsonSerializer.Serialize(new { algorithm = "ES256", rsa_public_key = p256.ExportSubjectPublicKeyInfoPem() }))).Expect(201);
    }

    [Fact]
    public async Task A_key_auth_key_is_shown_once_when_created_and_only_as_its_hash_afterwards()
    {
        var alice = await AliceAsync();

        var given = (await Client.PostFormAsync("/consumers/alice/key-auth", ("key", "alice-secret-key"))).Expect(201);
        var generated = (await Client.PostJsonAsync($"/consumers/{alice}/key-auth", "{}")).Expect(201);

        Assert.Equal("alice-secret-key", given.String("key"));
        Assert.Matches("^[0-9a-f]{32}$", generated.String("key"));
        var expectedHash = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("alice-secret-key")));
        var read = (await Client.GetAsync($"/consumers/alice/key-auth/{given.Id}")).Expect(200);
        Assert.Equal(expectedHash, read.String("key"));
        var listed = (await Client.GetAsync("/consumers/alice/key-auth")).Expect(200);
        Assert.All(Data(listed), c => Assert.StartsWith("sha256:", c!["key"]!.GetValue<string>()));
        Assert.DoesNotContain("alice-secret-key", listed.Text);
        Assert.DoesNotContain(generated.String("key")!, (await Client.GetAsync("/key-auths")).Expect(200).Text);
        Assert.Equal(expectedHash, (await StoredAsync<KeyAuthCredential>(given.Id)).Key);

        (await Client.DeleteAsync($"/consumers/alice/key-auth/{given.Id}")).Expect(204);
        (await Client.GetAsync($"/key-auths/{given.Id}")).Expect(404);
        Assert.Single(Data((await Client.GetAsync("/key-auths")).Expect(200)));
    }

    [Fact]
    public async Task Ip_restriction_entries_are_checked_naming_the_bad_ones()
    {
        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/plugins",
            """{"name": "ip-restriction", "config": {"allow": ["10.0.0.0/8", "10.0.0.0/33", "10.1"], "deny": ["example.com"]}}"""));
        var none = await RefusedAsync(400, () => Client.PostJsonAsync("/plugins", """{"name": "ip-restriction", "config": {}}"""));

        var config = reply.Json["fields"]!["config"]!;
        Assert.Equal(["invalid ip or cidr range: '10.0.0.0/33'", "invalid ip or cidr range: '10.1'"], Strings(config["allow"]!));
        Assert.Equal(["invalid ip or cidr range: 'example.com'"], Strings(config["deny"]!));
        Assert.Equal("at least one of these fields must be non-empty: 'allow', 'deny'",
            none.Json["fields"]!["config"]!["@entity"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Ip_restriction_may_be_scoped_to_a_consumer_and_gets_kongs_defaults()
    {
        await AliceAsync();

        var created = (await Client.PostFormAsync("/consumers/alice/plugins",
            ("name", "ip-restriction"), ("config.deny[]", "203.0.113.0/24"), ("config.deny[]", "2001:db8::/32"))).Expect(201);

        var config = created.Json["config"]!;
        Assert.Equal("""["203.0.113.0/24","2001:db8::/32"]""", config["deny"]!.ToJsonString());
        Assert.Equal(403, config["status"]!.GetValue<int>());
        Assert.Equal("Your IP address is not allowed", config["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Authentication_plugins_cannot_be_scoped_to_a_consumer()
    {
        await AliceAsync();

        foreach (var name in new[] { "basic-auth", "jwt" })
        {
            var reply = await RefusedAsync(400, () => Client.PostFormAsync("/consumers/alice/plugins", ("name", name)));
            Assert.Equal($"value must be null: the {name} plugin cannot be configured on a consumer",
                reply.Json["fields"]!["consumer"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Jwt_and_basic_auth_plugin_configs_get_defaults_and_are_checked()
    {
        var jwt = (await Client.PostFormAsync("/plugins", ("name", "jwt"))).Expect(201).Json["config"]!;
        Assert.Equal("""["jwt"]""", jwt["uri_param_names"]!.ToJsonString());
        Assert.Equal("""["authorization"]""", jwt["header_names"]!.ToJsonString());
        Assert.Equal("iss", jwt["key_claim_name"]!.GetValue<string>());
        Assert.Equal(0, jwt["maximum_expiration"]!.GetValue<int>());
        Assert.True(jwt["run_on_preflight"]!.GetValue<bool>());

        var noExp = await RefusedAsync(400, () => Client.PostJsonAsync("/plugins",
            """{"name": "jwt", "config": {"maximum_expiration": 600, "claims_to_verify": ["nbf"]}}"""));
        Assert.Equal("expected to contain: exp (maximum_expiration is set)",
            noExp.Json["fields"]!["config"]!["claims_to_verify"]!.GetValue<string>());
        var badClaim = await RefusedAsync(400, () => Client.PostJsonAsync("/plugins", """{"name": "jwt", "config": {"claims_to_verify": ["iat"]}}"""));
        Assert.Equal("""["expected one of: exp, nbf"]""", badClaim.Json["fields"]!["config"]!["claims_to_verify"]!.ToJsonString());

        var service = await ServiceAsync("billing");
        var basic = (await Client.PostFormAsync($"/services/{service}/plugins", ("name", "basic-auth"))).Expect(201).Json["config"]!;
        Assert.Equal("service", basic["realm"]!.GetValue<string>());
        Assert.False(basic["hide_credentials"]!.GetValue<bool>());
        var badRealm = await RefusedAsync(400, () => Client.PostJsonAsync("/plugins", """{"name": "basic-auth", "config": {"realm": "a\"b"}}"""));
        Assert.Equal("must not contain quotes, backslashes or line breaks", badRealm.Json["fields"]!["config"]!["realm"]!.GetValue<string>());
    }
}
