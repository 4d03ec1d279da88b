using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Tests.Declarative;
using Gateway.Proxy.Tls;

namespace Gateway.Proxy.Tests.Tls;

/// <summary>Which TLS settings each service's upstream connections get, and when two services' settings are the same.</summary>
public class UpstreamTlsCatalogTests
{
    private static readonly CaCertificate First = Ca("First CA");
    private static readonly CaCertificate Second = Ca("Second CA");

    [Fact]
    public void Services_that_neither_verify_nor_present_a_certificate_get_the_default()
    {
        var catalog = Catalog();

        Assert.Same(UpstreamTls.Unverified, catalog.For(Service("""{"url": "http://plain.internal"}""")));
        Assert.Same(UpstreamTls.Unverified, catalog.For(Service("""{"url": "https://secure.internal"}""")));
        Assert.Same(UpstreamTls.Unverified, catalog.For(Service($$"""{"url": "https://secure.internal", "tls_verify": false, "ca_certificates": ["{{First.Id}}"]}""")));
    }

    [Fact]
    public void Verification_without_ca_certificates_trusts_the_system_store_to_nginxs_default_depth()
    {
        var tls = Catalog().For(Service("""{"url": "https://secure.internal", "tls_verify": true}"""));

        Assert.True(tls.Verify);
        Assert.False(tls.CustomTrust);
        Assert.Equal(1, tls.MaxIntermediates);
    }

    [Fact]
    public void Listed_ca_certificates_are_the_only_trust_anchors_even_when_one_is_missing()
    {
        var catalog = Catalog(First);
        var missing = Guid.NewGuid();

        var some = catalog.For(Service($$"""{"url": "https://a.internal", "tls_verify": true, "ca_certificates": ["{{First.Id}}", "{{missing}}"]}"""));
        var none = catalog.For(Service($$"""{"url": "https://a.internal", "tls_verify": true, "ca_certificates": ["{{missing}}"]}"""));

        Assert.Equal([First.CertDigest], some.TrustAnchors.Select(a => a.Digest));
        Assert.True(none.CustomTrust);
        Assert.Empty(none.TrustAnchors);
    }

    [Fact]
    public void Settings_are_equal_when_they_make_the_same_handshakes()
    {
        var catalog = Catalog(First, Second);
        var both = catalog.For(Service($$"""{"url": "https://a.internal", "tls_verify": true, "ca_certificates": ["{{First.Id}}", "{{Second.Id}}"]}"""));
        var reversed = catalog.For(Service($$"""{"url": "https://b.internal:8443", "tls_verify": true, "ca_certificates": ["{{Second.Id}}", "{{First.Id}}"]}"""));
        var deeper = catalog.For(Service($$"""{"url": "https://a.internal", "tls_verify": true, "tls_verify_depth": 3, "ca_certificates": ["{{First.Id}}", "{{Second.Id}}"]}"""));
        var one = catalog.For(Service($$"""{"url": "https://a.internal", "tls_verify": true, "ca_certificates": ["{{First.Id}}"]}"""));

        Assert.Equal(both, reversed);
        Assert.Equal(both.GetHashCode(), reversed.GetHashCode());
        Assert.NotEqual(both, deeper);
        Assert.NotEqual(both, one);
    }

    [Fact]
    public void A_client_certificate_counts_by_its_content()
    {
        var (cert, key) = TestCertificates.SelfSigned("gateway");
        var (otherCert, otherKey) = TestCertificates.SelfSigned("gateway");
        var id = Guid.NewGuid();
        var service = Service($$$"""{"url": "https://a.internal", "client_certificate": {"id": "{{{id}}}"}}""");

        var presented = Catalog(Certificate(id, cert, key)).For(service);
        var same = Catalog(Certificate(id, cert, key)).For(service);
        var rotated = Catalog(Certificate(id, otherCert, otherKey)).For(service);

        Assert.False(presented.Verify);
        Assert.Equal(cert, presented.ClientCertificate!.Cert);
        Assert.Equal(presented, same);
        Assert.NotEqual(presented, rotated);
    }

    private static UpstreamTlsCatalog Catalog(params Entity[] entities) => UpstreamTlsCatalog.Build(ConfigData.From(1, entities));

    private static Service Service(string json) => (Service)Valid(EntityCatalog.Services, JsonNode.Parse(json)!.AsObject());

    private static CaCertificate Ca(string name) =>
        (CaCertificate)Valid(EntityCatalog.CaCertificates, new JsonObject { ["cert"] = TestCertificates.Authority(name) });

    private static Certificate Certificate(Guid id, string cert, string key) =>
        (Certificate)Valid(EntityCatalog.Certificates, new JsonObject { ["id"] = id.ToString(), ["cert"] = cert, ["key"] = key });

    private static Entity Valid(EntityKind kind, JsonObject json)
    {
        json["id"] ??= Guid.NewGuid().ToString();
        json["created_at"] = 1;
        json["updated_at"] = 1;
        var result = EntityValidation.Validate(kind, json);
        Assert.True(result.IsValid, result.Errors?.Summary());
        return result.Entity!;
    }
}
