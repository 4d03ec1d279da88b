using System.Text.Json.Nodes;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Entities;

namespace Gateway.Proxy.Tests.Declarative;

/// <summary>ca_certificates and the services' upstream TLS fields in declarative files: read, checked and written back.</summary>
public class UpstreamTlsDeclarativeTests
{
    private const long Now = 1_700_000_000;
    private const string CaId = "6f1c2a9e-0000-4000-8000-000000000001";
    private const string ClientId = "6f1c2a9e-0000-4000-8000-000000000002";

    private static JsonObject Document(string listed = CaId)
    {
        var (cert, key) = TestCertificates.SelfSigned("gateway-client");
        return new JsonObject
        {
            ["_format_version"] = "3.0",
            ["ca_certificates"] = new JsonArray(new JsonObject { ["id"] = CaId, ["cert"] = TestCertificates.Authority("Declared CA"), ["tags"] = new JsonArray("pki") }),
            ["certificates"] = new JsonArray(new JsonObject { ["id"] = ClientId, ["cert"] = cert, ["key"] = key }),
            ["services"] = new JsonArray(new JsonObject
            {
                ["name"] = "secure",
                ["url"] = "https://secure.internal:8443",
                ["tls_verify"] = true,
                ["tls_verify_depth"] = 2,
                ["ca_certificates"] = new JsonArray(listed),
                ["client_certificate"] = ClientId,
                ["routes"] = new JsonArray(new JsonObject { ["name"] = "secure-route", ["paths"] = new JsonArray("/secure") }),
            }),
        };
    }

    [Fact]
    public void A_service_reads_its_ca_certificates_and_client_certificate()
    {
        var result = DeclarativeParser.Parse(Document().ToJsonString(), Now);

        Assert.True(result.IsValid, result.Describe());
        var service = Assert.Single(result.Config!.Services);
        var ca = Assert.Single(result.Config.All<CaCertificate>());
        Assert.Equal([Guid.Parse(CaId)], service.CaCertificates!);
        Assert.Equal(Guid.Parse(ClientId), service.ClientCertificate!.Id);
        Assert.Equal((true, 2), (service.TlsVerify, service.TlsVerifyDepth));
        Assert.Equal(CaCertificate.Digest(ca.Cert!), ca.CertDigest);
    }

    [Fact]
    public void Export_reads_back_the_same_and_keeps_the_service_at_the_top_level()
    {
        var config = DeclarativeParser.Parse(Document().ToJsonString(), Now).Config!;

        var exported = DeclarativeExporter.ToDocument(config);
        var reread = DeclarativeParser.Parse(DeclarativeExporter.ToYaml(config), Now + 500);

        Assert.True(reread.IsValid, reread.Describe());
        ConfigJson.AssertEqual(config, reread.Config!);
        Assert.Equal(ClientId, exported["services"]![0]!["client_certificate"]!.GetValue<string>());
        Assert.Equal(CaId, exported["services"]![0]!["ca_certificates"]![0]!.GetValue<string>());
        Assert.Null(exported["certificates"]![0]!["services"]);
        Assert.NotNull(exported["ca_certificates"]![0]!["cert_digest"]);
    }

    [Fact]
    public void A_listed_id_that_is_not_in_the_file_is_an_error_naming_the_field()
    {
        var missing = Guid.NewGuid().ToString();

        var result = DeclarativeParser.Parse(Document(listed: missing).ToJsonString(), Now);

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal("services[0].ca_certificates", error.Path);
        Assert.Equal($"invalid reference 'ca_certificates: {missing}' (no such entry in 'ca_certificates')", error.Message);
    }

    [Fact]
    public void A_ca_certificate_that_is_not_a_ca_is_an_error_naming_cert()
    {
        var document = Document();
        document["ca_certificates"]![0]!["cert"] = TestCertificates.SelfSigned("leaf.example").Cert;

        var result = DeclarativeParser.Parse(document.ToJsonString(), Now);

        Assert.Contains(result.Errors, e => e.Path == "ca_certificates[0].cert"
                                            && e.Message == "certificate does not appear to be a CA because it is missing the \"CA\" basic constraint");
    }
}
