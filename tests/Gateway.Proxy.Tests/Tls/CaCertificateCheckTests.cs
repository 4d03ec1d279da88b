using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Tests.Declarative;

namespace Gateway.Proxy.Tests.Tls;

/// <summary>Kong's checks of a CA certificate, and its digest.</summary>
public class CaCertificateCheckTests
{
    private static readonly DateTimeOffset NotAfter = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMonths(2).ToUnixTimeSeconds());

    [Fact]
    public void A_ca_is_usable_until_its_not_after_time()
    {
        var pem = TestCertificates.CreateAuthority("Check CA", notAfter: NotAfter).ExportCertificatePem();

        Assert.Null(CaCertificate.Problem(pem, NotAfter.AddSeconds(-1)));
        Assert.Equal("certificate expired, \"Not After\" time is in the past", CaCertificate.Problem(pem, NotAfter.AddSeconds(1)));
    }

    [Fact]
    public void A_certificate_without_the_ca_basic_constraint_is_not_a_ca()
    {
        Assert.Equal("certificate does not appear to be a CA because it is missing the \"CA\" basic constraint",
            CaCertificate.Problem(TestCertificates.SelfSigned("leaf.example").Cert, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void The_digest_is_the_sha256_of_the_der_encoding_and_replaces_what_was_sent()
    {
        var pem = TestCertificates.Authority("Digest CA");
        var document = new JsonObject { ["cert"] = pem, ["cert_digest"] = "anything" };

        CaCertificate.Expand(document, new FieldErrors());

        var expected = Convert.ToHexStringLower(SHA256.HashData(X509Certificate2.CreateFromPem(pem).RawData));
        Assert.Equal(expected, document["cert_digest"]!.GetValue<string>());
        Assert.Equal(expected, CaCertificate.Digest(pem));
        Assert.Null(CaCertificate.Digest("not a certificate"));
    }

    [Fact]
    public void A_digest_that_is_not_text_is_refused_before_it_would_be_computed()
    {
        var document = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(), ["created_at"] = 1, ["updated_at"] = 1,
            ["cert"] = TestCertificates.Authority("Typed CA"), ["cert_digest"] = 1,
        };

        var result = EntityValidation.Validate(EntityCatalog.CaCertificates, document);

        Assert.Equal("expected a string", result.Errors!.ToJson()["cert_digest"]!.GetValue<string>());
    }
}
