using System.Net;
using System.Security.Cryptography;
using System.Text;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Entities;
using Gateway.Proxy.IntegrationTests.Proxying;
using static Gateway.Proxy.IntegrationTests.Plugins.TestTokens;

namespace Gateway.Proxy.IntegrationTests.Plugins;

/// <summary>A Kong declarative file with consumers holding basic-auth, jwt and key-auth credentials, loaded and used.</summary>
public sealed class DeclarativeCredentialsTests : PluginTestBase
{
    private static string Indent(string text, int spaces) => text.Replace("\n", "\n" + new string(' ', spaces));

    private string File(string rsaPem) => $$"""
        _format_version: "3.0"
        services:
        - name: echo
          url: {{Upstream.Url}}
          routes:
          - name: basic
            paths: [/basic]
            plugins:
            - name: basic-auth
              config:
                hide_credentials: true
          - name: token
            paths: [/token]
            plugins:
            - name: jwt
              config:
                claims_to_verify: [exp]
          - name: office
            paths: [/office]
            plugins:
            - name: key-auth
            - name: ip-restriction
              config:
                allow: [127.0.0.1, "::1"]
        consumers:
        - username: alice
          custom_id: A-1
          basicauth_credentials:
          - username: Aladdin
            password: OpenSesame
          jwt_secrets:
          - key: alice-issuer
            secret: alice-hmac-secret
          keyauth_credentials:
          - key: alice-key
        - username: bob
          jwt_secrets:
          - key: bob-rsa
            algorithm: RS256
            rsa_public_key: |
              {{Indent(rsaPem, 14)}}
        """;

    [Fact]
    public async Task Consumers_and_credentials_of_a_declarative_file_authenticate()
    {
        using var rsa = RSA.Create(2048);
        var parsed = DeclarativeParser.Parse(File(PublicPem(rsa)));
        Assert.True(parsed.IsValid, parsed.Describe());
        Gateway.Apply(parsed.Config!);

        var basic = await EchoReply.ReadAsync(await GetAsync("/basic",
            ("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("Aladdin:OpenSesame")))));
        var hmac = await EchoReply.ReadAsync(await GetAsync("/token",
            ("Authorization", "Bearer " + Hmac($$"""{"iss": "alice-issuer", "exp": {{Now + 60}}}""", "alice-hmac-secret"))));
        var rs256 = await EchoReply.ReadAsync(await GetAsync("/token",
            ("Authorization", "Bearer " + Rsa($$"""{"iss": "bob-rsa", "exp": {{Now + 60}}}""", rsa))));
        var key = await EchoReply.ReadAsync(await GetAsync("/office", ("apikey", "alice-key")));

        Assert.Equal("alice", basic.Header("X-Consumer-Username"));
        Assert.Equal("A-1", basic.Header("X-Consumer-Custom-ID"));
        Assert.Null(basic.Header("Authorization"));
        Assert.Equal("alice-issuer", hmac.Header("X-Credential-Identifier"));
        Assert.Equal("bob", rs256.Header("X-Consumer-Username"));
        Assert.Equal("alice", key.Header("X-Consumer-Username"));
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await GetAsync("/basic", ("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("Aladdin:wrong"))))).StatusCode);
    }

    [Fact]
    public async Task Passwords_and_keys_of_a_declarative_file_are_held_hashed()
    {
        using var rsa = RSA.Create(2048);
        var parsed = DeclarativeParser.Parse(File(PublicPem(rsa)));
        Assert.True(parsed.IsValid, parsed.Describe());

        Assert.StartsWith("pbkdf2-sha256$", Assert.Single(parsed.Config!.All<BasicAuthCredential>()).Password);
        Assert.StartsWith("sha256:", Assert.Single(parsed.Config!.All<KeyAuthCredential>()).Key);
    }

    [Fact]
    public void A_jwt_secret_with_a_broken_public_key_makes_the_file_invalid_naming_the_field()
    {
        var parsed = DeclarativeParser.Parse(File("-----BEGIN PUBLIC KEY-----\nbroken\n-----END PUBLIC KEY-----"));

        Assert.False(parsed.IsValid);
        Assert.Contains("rsa_public_key", parsed.Describe());
    }
}
