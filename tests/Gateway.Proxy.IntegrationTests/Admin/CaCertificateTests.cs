using System.Security.Cryptography;
using System.Text.Json;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>
/// The ca_certificates entity and the services' upstream TLS fields (tls_verify, tls_verify_depth, ca_certificates,
/// client_certificate) through the Admin API on Postgres, with Kong's checks, references and refusals.
/// </summary>
public class CaCertificateTests(AdminPostgres postgres) : AdminTestBase(postgres)
{
    private static readonly TestAuthority Root = TestAuthority.CreateRoot("Admin Test Root CA");
    private static readonly TestAuthority OtherRoot = TestAuthority.CreateRoot("Admin Test Other CA");

    [Fact]
    public async Task A_ca_certificate_gets_its_sha256_digest_whatever_the_client_sent()
    {
        var body = JsonSerializer.Serialize(new { cert = Root.CertPem, cert_digest = "made-up", tags = new[] { "pki" } });
        var created = (await Client.PostJsonAsync("/ca_certificates", body)).Expect(201);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Root.Certificate.RawData)), created.String("cert_digest"));
        Assert.Equal(Root.CertPem, created.String("cert"));
        Assert.Equal("pki", created.Json["tags"]![0]!.GetValue<string>());
        Assert.True(created.Json["created_at"]!.GetValue<long>() > 0);
        Assert.True(created.Json["updated_at"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task The_same_ca_twice_is_a_409_on_cert_digest()
    {
        await CreateAsync("/ca_certificates", Root.Json);

        var reply = await RefusedAsync(409, () => Client.PostJsonAsync("/ca_certificates", Root.Json));

        Assert.Equal("unique constraint violation", reply.String("name"));
        Assert.NotNull(reply.Json["fields"]!["cert_digest"]);
    }

    public static TheoryData<string, string> UnusableCertificates() => new()
    {
        { "not a certificate", "invalid certificate: not a PEM-encoded X.509 certificate" },
        { TestCertificate.Create("leaf.example").Cert, "certificate does not appear to be a CA because it is missing the \"CA\" basic constraint" },
        { TestAuthority.CreateRoot("Expired CA", DateTimeOffset.UtcNow.AddDays(-1)).CertPem, "certificate expired, \"Not After\" time is in the past" },
        { Root.CertPem + "\n" + OtherRoot.CertPem, "please submit only one certificate at a time" },
    };

    [Theory]
    [MemberData(nameof(UnusableCertificates))]
    public async Task Unusable_certificates_are_refused_naming_cert(string pem, string message)
    {
        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/ca_certificates", JsonSerializer.Serialize(new { cert = pem })));

        Assert.Equal("schema violation", reply.String("name"));
        Assert.Equal(message, reply.Json["fields"]!["cert"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ca_certificates_are_listed_in_pages_and_by_tag()
    {
        for (var i = 0; i < 3; i++)
        {
            var body = JsonSerializer.Serialize(new { cert = TestAuthority.CreateRoot($"CA {i}").CertPem, tags = new[] { i == 0 ? "first" : "rest" } });
            await CreateAsync("/ca_certificates", body);
        }

        var first = (await Client.GetAsync("/ca_certificates?size=2")).Expect(200).Json;
        var second = (await Client.GetAsync(first["next"]!.GetValue<string>())).Expect(200).Json;
        var tagged = (await Client.GetAsync("/ca_certificates?tags=rest")).Expect(200).Json;

        Assert.Equal(2, first["data"]!.AsArray().Count);
        Assert.Single(second["data"]!.AsArray());
        Assert.Null(second["next"]);
        Assert.Equal(2, tagged["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_service_lists_existing_ca_certificates_and_an_unknown_id_is_a_400_naming_the_field()
    {
        var ca = await CreateAsync("/ca_certificates", Root.Json);
        var missing = Guid.NewGuid();

        var refused = await RefusedAsync(400, () => Client.PostJsonAsync("/services",
            $$$"""{"name":"secure","url":"https://secure.internal","tls_verify":true,"ca_certificates":["{{{ca}}}","{{{missing}}}"]}"""));
        var created = (await Client.PostFormAsync("/services", ("name", "secure"), ("url", "https://secure.internal"),
            ("tls_verify", "true"), ("tls_verify_depth", "3"), ("ca_certificates[]", ca))).Expect(201);

        Assert.Equal(
            $$$"""{"code":4,"name":"foreign key violation","message":"the foreign key '{id=\"{{{missing}}}\"}' does not reference an existing 'ca_certificates' entity.","fields":{"ca_certificates":["{{{missing}}}"]}}""",
            refused.Text);
        Assert.Equal(ca, created.Json["ca_certificates"]![0]!.GetValue<string>());
        Assert.True(created.Json["tls_verify"]!.GetValue<bool>());
        Assert.Equal(3, created.Json["tls_verify_depth"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_ca_certificate_a_service_lists_cannot_be_deleted_until_the_service_lets_go()
    {
        var ca = await CreateAsync("/ca_certificates", Root.Json);
        var service = await CreateAsync("/services", $$$"""{"name":"secure","url":"https://secure.internal","ca_certificates":["{{{ca}}}"]}""");

        var refused = await RefusedAsync(400, () => Client.DeleteAsync($"/ca_certificates/{ca}"));
        (await Client.JsonAsync("PATCH", "/services/secure", """{"ca_certificates":null}""")).Expect(200);

        Assert.Equal(
            $$$"""{"code":19,"name":"referenced by others","message":"ca certificate {{{ca}}} is still referenced by services (id = {{{service}}})"}""",
            refused.Text);
        (await Client.DeleteAsync($"/ca_certificates/{ca}")).Expect(204);
        (await Client.GetAsync($"/ca_certificates/{ca}")).Expect(404);
    }

    [Fact]
    public async Task A_client_certificate_is_a_reference_to_a_certificate()
    {
        var client = Root.IssueClient("gateway");
        var certificate = await CreateAsync("/certificates", client.Json);
        var missing = Guid.NewGuid();

        var refused = await RefusedAsync(400, () => Client.PostJsonAsync("/services",
            $$$"""{"name":"secure","url":"https://secure.internal","client_certificate":{"id":"{{{missing}}}"}}"""));
        await CreateAsync("/services", $$$"""{"name":"secure","url":"https://secure.internal","client_certificate":{"id":"{{{certificate}}}"}}""");
        var referenced = (await Client.GetAsync("/services/secure/client_certificate")).Expect(200);
        var inUse = await RefusedAsync(400, () => Client.DeleteAsync($"/certificates/{certificate}"));

        Assert.Equal(missing.ToString(), refused.Json["fields"]!["client_certificate"]!["id"]!.GetValue<string>());
        Assert.Equal(certificate, referenced.Id);
        Assert.Equal("an existing 'services' entity references this 'certificates' entity", inUse.String("message"));
    }

    [Fact]
    public async Task Tls_fields_on_a_service_that_does_not_speak_tls_are_refused_as_kong_refuses_them()
    {
        var ca = await CreateAsync("/ca_certificates", Root.Json);

        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/services",
            $$$"""{"url":"http://plain.internal","tls_verify":false,"tls_verify_depth":2,"ca_certificates":["{{{ca}}}"]}"""));

        var fields = reply.Json["fields"]!;
        Assert.Equal("value must be null", fields["tls_verify"]!.GetValue<string>());
        Assert.Equal("value must be null", fields["tls_verify_depth"]!.GetValue<string>());
        Assert.Equal("value must be null", fields["ca_certificates"]!.GetValue<string>());
        Assert.Equal("failed conditional validation given value of field 'protocol'", fields["@entity"]![0]!.GetValue<string>());
        (await Client.PostJsonAsync("/services", """{"url":"grpcs://grpc.internal","tls_verify":true}""")).Expect(201);
    }

    [Fact]
    public async Task Tls_verify_depth_is_between_0_and_64()
    {
        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/services", """{"url":"https://a.internal","tls_verify_depth":65}"""));

        Assert.Equal("value should be between 0 and 64", reply.Json["fields"]!["tls_verify_depth"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_exported_configuration_imports_back_unchanged()
    {
        var ca = await CreateAsync("/ca_certificates", Root.Json);
        var certificate = await CreateAsync("/certificates", Root.IssueClient("gateway").Json);
        await CreateAsync("/services", $$$"""
            {"name":"secure","url":"https://secure.internal","tls_verify":true,"tls_verify_depth":2,
             "ca_certificates":["{{{ca}}}"],"client_certificate":{"id":"{{{certificate}}}"}}
            """);
        var exported = (await Client.GetAsync("/config")).Expect(200).String("config")!;

        (await Client.SendAsync(HttpMethod.Post, "/config", new StringContent(exported, System.Text.Encoding.UTF8, "text/yaml"))).Expect(201);

        Assert.Equal(exported, (await Client.GetAsync("/config")).Expect(200).String("config"));
        Assert.Contains("ca_certificates:", exported);
        Assert.Equal(ca, (await Client.GetAsync("/services/secure")).Expect(200).Json["ca_certificates"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task The_schema_and_openapi_endpoints_describe_ca_certificates()
    {
        var schema = (await Client.GetAsync("/schemas/ca_certificates")).Expect(200).Text;
        var services = (await Client.GetAsync("/schemas/services")).Expect(200).Text;
        var openApi = (await Client.GetAsync("/openapi.json")).Expect(200).Json;

        Assert.Contains("""{"cert_digest":{"type":"string","unique":true""", schema);
        Assert.Contains("""{"ca_certificates":{"type":"array","elements":{"type":"string","uuid":true}""", services);
        Assert.Contains("""{"client_certificate":{"type":"foreign","reference":"certificates",""", services);
        Assert.NotNull(openApi["paths"]!["/ca_certificates"]);
        Assert.NotNull(openApi["paths"]!["/ca_certificates/{ca_certificates}"]);
    }
}
