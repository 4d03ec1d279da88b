using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Proxy.Entities;
using Gateway.Proxy.IntegrationTests.Proxying;
using static Gateway.Proxy.IntegrationTests.Plugins.TestTokens;

namespace Gateway.Proxy.IntegrationTests.Plugins;

public sealed class JwtTests : PluginTestBase
{
    private const string Secret = "alice-hmac-secret-of-some-length";
    private Guid _alice;

    /// <summary>alice with an HS256 secret whose key is "alice-issuer", and the jwt plugin on /api.</summary>
    private GatewayConfig WithJwt(string pluginConfig = "{}", Action<GatewayConfig, Guid>? moreSecrets = null)
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        _alice = config.Consumer("alice", customId: "A-1");
        config.Credential(EntityCatalog.JwtSecrets, _alice, $$"""{"key": "alice-issuer", "secret": "{{Secret}}"}""");
        moreSecrets?.Invoke(config, _alice);
        config.Plugin("jwt", pluginConfig, route: route);
        return config;
    }

    /// <summary>As <see cref="WithJwt"/>, plus a secret of alice's for an RS* or ES* algorithm.</summary>
    private GatewayConfig WithPublicKey(string key, string algorithm, string pem) =>
        WithJwt(moreSecrets: (config, alice) => config.Credential(EntityCatalog.JwtSecrets, alice,
            JsonSerializer.Serialize(new { key, algorithm, rsa_public_key = pem })));

    private Task<HttpResponseMessage> WithBearer(string token) => GetAsync("/api", ("Authorization", "Bearer " + token));

    /// <summary>Asserts a 401 with <paramref name="message"/>, an invalid_token challenge, and nothing forwarded.</summary>
    private async Task<JsonElement> AssertRefused(HttpResponseMessage response, string message)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"expected 401, got {(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(message, body.GetProperty("message").GetString());
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(0, Upstream.RequestCount);
        return body;
    }

    [Fact]
    public async Task A_valid_hs256_token_reaches_the_upstream_with_the_consumer_headers()
    {
        Gateway.Apply(WithJwt().Build());

        var reply = await EchoReply.ReadAsync(await WithBearer(Hmac("""{"iss": "alice-issuer", "sub": "42"}""", Secret)));

        Assert.Equal(_alice.ToString(), reply.Header("X-Consumer-ID"));
        Assert.Equal("alice", reply.Header("X-Consumer-Username"));
        Assert.Equal("A-1", reply.Header("X-Consumer-Custom-ID"));
        Assert.Equal("alice-issuer", reply.Header("X-Credential-Identifier"));
        Assert.Null(reply.Header("X-Anonymous-Consumer"));
    }

    [Theory]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public async Task Longer_hmac_algorithms_work_when_the_secret_names_them(string alg)
    {
        Gateway.Apply(WithJwt(moreSecrets: (config, alice) =>
            config.Credential(EntityCatalog.JwtSecrets, alice, $$"""{"key": "strong", "secret": "s3cret", "algorithm": "{{alg}}"}""")).Build());

        var reply = await EchoReply.ReadAsync(await WithBearer(Hmac("""{"iss": "strong"}""", "s3cret", alg)));

        Assert.Equal("strong", reply.Header("X-Credential-Identifier"));
    }

    [Fact]
    public async Task Without_a_token_the_answer_is_401_unauthorized_with_a_bearer_challenge()
    {
        Gateway.Apply(WithJwt().Build());

        var response = await GetAsync("/api");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Unauthorized", await MessageOf(response));
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task The_token_is_also_read_from_the_query_and_from_configured_cookies()
    {
        Gateway.Apply(WithJwt("""{"cookie_names": ["session"]}""").Build());
        var token = Hmac("""{"iss": "alice-issuer"}""", Secret);

        var fromQuery = await EchoReply.ReadAsync(await GetAsync("/api?jwt=" + token));
        var fromCookie = await EchoReply.ReadAsync(await GetAsync("/api", ("Cookie", "theme=dark; session=" + token)));

        Assert.Equal("alice", fromQuery.Header("X-Consumer-Username"));
        Assert.Equal("alice", fromCookie.Header("X-Consumer-Username"));
    }

    [Fact]
    public async Task Two_different_tokens_in_one_request_are_refused()
    {
        Gateway.Apply(WithJwt().Build());
        var one = Hmac("""{"iss": "alice-issuer", "n": 1}""", Secret);
        var two = Hmac("""{"iss": "alice-issuer", "n": 2}""", Secret);

        await AssertRefused(await GetAsync("/api?jwt=" + one, ("Authorization", "Bearer " + two)), "Multiple tokens provided");
    }

    [Fact]
    public async Task An_expired_token_is_refused_when_exp_is_verified()
    {
        Gateway.Apply(WithJwt("""{"claims_to_verify": ["exp"]}""").Build());

        var body = await AssertRefused(await WithBearer(Hmac($$"""{"iss": "alice-issuer", "exp": {{Now - 3600}}}""", Secret)), "token expired");

        Assert.Equal("token expired", body.GetProperty("exp").GetString());
    }

    [Fact]
    public async Task Expiry_within_the_clock_skew_is_tolerated()
    {
        Gateway.Apply(WithJwt("""{"claims_to_verify": ["exp", "nbf"]}""").Build());

        var response = await WithBearer(Hmac($$"""{"iss": "alice-issuer", "exp": {{Now - 5}}, "nbf": {{Now + 5}}}""", Secret));

        Assert.Equal("alice", (await EchoReply.ReadAsync(response)).Header("X-Consumer-Username"));
    }

    [Fact]
    public async Task Without_claims_to_verify_an_expired_token_is_accepted_as_kong_does()
    {
        Gateway.Apply(WithJwt().Build());

        var response = await WithBearer(Hmac($$"""{"iss": "alice-issuer", "exp": {{Now - 3600}}}""", Secret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_token_not_valid_yet_is_refused_when_nbf_is_verified()
    {
        Gateway.Apply(WithJwt("""{"claims_to_verify": ["nbf"]}""").Build());

        var body = await AssertRefused(await WithBearer(Hmac($$"""{"iss": "alice-issuer", "nbf": {{Now + 3600}}}""", Secret)), "token not valid yet");

        Assert.Equal("token not valid yet", body.GetProperty("nbf").GetString());
    }

    [Theory]
    [InlineData("""{"iss": "alice-issuer", "exp": "tomorrow"}""")]
    [InlineData("""{"iss": "alice-issuer"}""")]
    [InlineData("""{"iss": "alice-issuer", "exp": null}""")]
    public async Task An_exp_that_is_not_a_number_is_refused_when_exp_is_verified(string claims)
    {
        Gateway.Apply(WithJwt("""{"claims_to_verify": ["exp"]}""").Build());

        var body = await AssertRefused(await WithBearer(Hmac(claims, Secret)), "'exp' must be a number");

        Assert.Equal("must be a number", body.GetProperty("exp").GetString());
    }

    [Fact]
    public async Task Every_failed_claim_is_reported()
    {
        Gateway.Apply(WithJwt("""{"claims_to_verify": ["exp", "nbf"]}""").Build());

        var body = await AssertRefused(await WithBearer(Hmac($$"""{"iss": "alice-issuer", "exp": {{Now - 3600}}, "nbf": "soon"}""", Secret)),
            "token expired; 'nbf' must be a number");

        Assert.Equal("token expired", body.GetProperty("exp").GetString());
        Assert.Equal("must be a number", body.GetProperty("nbf").GetString());
    }

    [Fact]
    public async Task A_token_living_longer_than_maximum_expiration_is_refused()
    {
        Gateway.Apply(WithJwt("""{"claims_to_verify": ["exp"], "maximum_expiration": 600}""").Build());

        await AssertRefused(await WithBearer(Hmac($$"""{"iss": "alice-issuer", "exp": {{Now + 3600}}}""", Secret)),
            "'exp' exceeds maximum allowed expiration");
        var shortLived = await WithBearer(Hmac($$"""{"iss": "alice-issuer", "exp": {{Now + 300}}}""", Secret));
        Assert.Equal(HttpStatusCode.OK, shortLived.StatusCode);
    }

    [Fact]
    public async Task A_token_signed_with_another_secret_is_refused()
    {
        Gateway.Apply(WithJwt().Build());

        await AssertRefused(await WithBearer(Hmac("""{"iss": "alice-issuer"}""", "not-alices-secret")), "Invalid signature");
    }

    [Fact]
    public async Task A_token_whose_claims_were_changed_after_signing_is_refused()
    {
        Gateway.Apply(WithJwt().Build());
        var parts = Hmac("""{"iss": "alice-issuer", "role": "user"}""", Secret).Split('.');

        var forged = $"{parts[0]}.{Encode("""{"iss": "alice-issuer", "role": "admin"}""")}.{parts[2]}";

        await AssertRefused(await WithBearer(forged), "Invalid signature");
    }

    [Theory]
    [InlineData("""{"alg": "none", "typ": "JWT"}""", "")]
    [InlineData("""{"alg": "none"}""", "c2lnbmF0dXJl")]
    [InlineData("""{"alg": "None"}""", "")]
    [InlineData("""{"typ": "JWT"}""", "")]
    [InlineData("""{"alg": 256}""", "")]
    [InlineData("""{"alg": "PS256"}""", "")]
    public async Task Unsigned_tokens_and_unknown_algorithms_are_refused(string header, string signature)
    {
        Gateway.Apply(WithJwt().Build());

        await AssertRefused(await WithBearer(Unsigned(header, """{"iss": "alice-issuer"}""", signature)), "Bad token; invalid alg");
    }

    [Fact]
    public async Task An_hs256_token_is_refused_for_an_rs256_secret_even_when_signed_with_its_public_key()
    {
        using var rsa = RSA.Create(2048);
        var pem = PublicPem(rsa);
        Gateway.Apply(WithPublicKey("rsa-issuer", "RS256", pem).Build());

        // The classic confusion attack: the public key is public, so an attacker can use it as an HMAC secret.
        await AssertRefused(await WithBearer(Hmac("""{"iss": "rsa-issuer"}""", pem)), "Invalid algorithm");
    }

    [Fact]
    public async Task An_rs256_token_is_refused_for_an_hs256_secret()
    {
        using var rsa = RSA.Create(2048);
        Gateway.Apply(WithJwt().Build());

        await AssertRefused(await WithBearer(Rsa("""{"iss": "alice-issuer"}""", rsa)), "Invalid algorithm");
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    public async Task Rsa_signed_tokens_are_verified_with_the_public_key(string alg)
    {
        using var rsa = RSA.Create(2048);
        using var other = RSA.Create(2048);
        var pem = PublicPem(rsa);
        Gateway.Apply(WithPublicKey("rsa-issuer", alg, pem).Build());

        var reply = await EchoReply.ReadAsync(await WithBearer(Rsa("""{"iss": "rsa-issuer"}""", rsa, alg)));
        Assert.Equal("rsa-issuer", reply.Header("X-Credential-Identifier"));

        var forged = await WithBearer(Rsa("""{"iss": "rsa-issuer"}""", other, alg));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal("Invalid signature", await MessageOf(forged));
    }

    [Theory]
    [InlineData("ES256", "nistP256")]
    [InlineData("ES384", "nistP384")]
    [InlineData("ES512", "nistP521")]
    public async Task Ecdsa_signed_tokens_are_verified_with_the_public_key(string alg, string curve)
    {
        using var ecdsa = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        using var other = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        var pem = PublicPem(ecdsa);
        Gateway.Apply(WithPublicKey("ec-issuer", alg, pem).Build());

        var reply = await EchoReply.ReadAsync(await WithBearer(Ecdsa("""{"iss": "ec-issuer"}""", ecdsa, alg)));
        Assert.Equal("ec-issuer", reply.Header("X-Credential-Identifier"));

        var forged = await WithBearer(Ecdsa("""{"iss": "ec-issuer"}""", other, alg));
        Assert.Equal("Invalid signature", await MessageOf(forged));
    }

    [Fact]
    public async Task Concurrent_rs256_requests_are_all_verified()
    {
        using var rsa = RSA.Create(2048);
        var pem = PublicPem(rsa);
        Gateway.Apply(WithPublicKey("rsa-issuer", "RS256", pem).Build());
        var good = Rsa("""{"iss": "rsa-issuer"}""", rsa);
        var bad = Rsa("""{"iss": "rsa-issuer", "x": 1}""", rsa)[..^4] + "AAAA";

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => WithBearer(i % 2 == 0 ? good : bad)));

        for (var i = 0; i < responses.Length; i++)
            Assert.Equal(i % 2 == 0 ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, responses[i].StatusCode);
    }

    [Theory]
    [InlineData("abc", "Bad token; invalid JSON")]
    [InlineData("abc.def", "Bad token; invalid JSON")]
    [InlineData("..", "Bad token; invalid JSON")]
    [InlineData("!!!.###.$$$", "Bad token; invalid JSON")]
    [InlineData("bm90IGpzb24.e30.c2ln", "Bad token; invalid JSON")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln", "Bad token; invalid JSON")]
    [InlineData("WyJIUzI1NiJd.e30.c2ln", "Bad token; invalid JSON")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.!!!", "Bad token; invalid signature")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.c2ln.extra", "Bad token; invalid signature")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "No mandatory 'iss' in claims")]
    public async Task Malformed_tokens_are_refused_with_401_never_500(string token, string message)
    {
        Gateway.Apply(WithJwt().Build());

        await AssertRefused(await WithBearer(token), message);
    }

    [Theory]
    [InlineData("""{"iss": ""}""", "Invalid 'iss' in claims")]
    [InlineData("""{"iss": 42}""", "Invalid 'iss' in claims")]
    [InlineData("""{"iss": "somebody-else"}""", "No credentials found for given 'iss'")]
    public async Task The_key_claim_must_name_a_known_secret(string claims, string message)
    {
        Gateway.Apply(WithJwt().Build());

        await AssertRefused(await WithBearer(Hmac(claims, Secret)), message);
    }

    [Fact]
    public async Task The_key_claim_can_be_another_claim_and_is_also_read_from_the_header()
    {
        Gateway.Apply(WithJwt("""{"key_claim_name": "kid"}""").Build());
        var header = Encode("""{"alg": "HS256", "kid": "alice-issuer"}""");
        var claims = Encode("""{"sub": "42"}""");
        var signature = System.Buffers.Text.Base64Url.EncodeToString(
            HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Secret), System.Text.Encoding.ASCII.GetBytes($"{header}.{claims}")));

        var reply = await EchoReply.ReadAsync(await WithBearer($"{header}.{claims}.{signature}"));

        Assert.Equal("alice", reply.Header("X-Consumer-Username"));
    }

    [Fact]
    public async Task Base64_secrets_are_decoded_when_secret_is_base64_is_set()
    {
        var raw = RandomNumberGenerator.GetBytes(32);
        Gateway.Apply(WithJwt("""{"secret_is_base64": true}""", (config, alice) => config.Credential(EntityCatalog.JwtSecrets, alice,
            $$"""{"key": "b64-issuer", "secret": "{{Convert.ToBase64String(raw)}}"}""")).Build());

        var reply = await EchoReply.ReadAsync(await WithBearer(Hmac("""{"iss": "b64-issuer"}""", raw)));

        Assert.Equal("b64-issuer", reply.Header("X-Credential-Identifier"));
    }

    [Fact]
    public async Task Preflight_requests_pass_unauthenticated_when_run_on_preflight_is_off()
    {
        Gateway.Apply(WithJwt("""{"run_on_preflight": false}""").Build());

        var preflight = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/api"));
        var get = await GetAsync("/api");

        Assert.Equal(HttpStatusCode.OK, preflight.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
    }

    [Fact]
    public async Task A_bad_token_falls_back_to_the_anonymous_consumer_when_configured()
    {
        var config = WithJwt("""{"anonymous": "guest", "claims_to_verify": ["exp"]}""");
        config.Consumer("guest");
        Gateway.Apply(config.Build());

        var expired = await EchoReply.ReadAsync(await WithBearer(Hmac($$"""{"iss": "alice-issuer", "exp": {{Now - 3600}}}""", Secret)));
        var valid = await EchoReply.ReadAsync(await WithBearer(Hmac($$"""{"iss": "alice-issuer", "exp": {{Now + 60}}}""", Secret)));

        Assert.Equal("guest", expired.Header("X-Consumer-Username"));
        Assert.Equal("true", expired.Header("X-Anonymous-Consumer"));
        Assert.Equal("alice", valid.Header("X-Consumer-Username"));
    }
}
