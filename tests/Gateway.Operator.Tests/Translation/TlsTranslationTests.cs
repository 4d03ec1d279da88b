using Gateway.Operator.Translation;
using static Gateway.Operator.Tests.Translation.Cluster;

namespace Gateway.Operator.Tests.Translation;

public sealed class TlsTranslationTests
{
    private static V1Ingress WithTls(string name, string secret, params string[] hosts)
    {
        var ingress = Ingress(name, Path("/" + name, "api"));
        ingress.Spec.Tls = [new() { SecretName = secret, Hosts = hosts }];
        return ingress;
    }

    [Fact]
    public void Tls_hosts_become_snis_of_the_secrets_certificate()
    {
        var secret = TlsSecret("site-tls", "example.com");
        var output = Translate(Input([WithTls("site", "site-tls", "example.com", "*.example.com")], [Service("api")], secrets: [secret]));

        var certificate = Assert.Single(output.Configuration.Certificates);
        Assert.Contains("BEGIN CERTIFICATE", certificate.Cert);
        Assert.Contains("PRIVATE KEY", certificate.Key);
        Assert.Contains("k8s-kind:Secret", certificate.Tags);
        Assert.Equal(["*.example.com", "example.com"], output.Configuration.Snis.Select(s => s.Name));
        Assert.All(output.Configuration.Snis, s => Assert.Equal(certificate.Id, s.Certificate.Id));
        Assert.True(output.ResultFor("Ingress", "site").Programmed);
    }

    [Fact]
    public void Without_hosts_a_tls_entry_serves_the_dns_names_of_its_certificate()
    {
        var secret = TlsSecret("site-tls", "ignored.example.com", "example.com", "*.example.com", "192.0.2.1");
        var output = Translate(Input([WithTls("site", "site-tls")], [Service("api")], secrets: [secret]));

        var certificate = Assert.Single(output.Configuration.Certificates);
        Assert.Equal(["*.example.com", "example.com"], output.Configuration.Snis.Select(s => s.Name));
        Assert.All(output.Configuration.Snis, s => Assert.Equal(certificate.Id, s.Certificate.Id));
        Assert.True(output.ResultFor("Ingress", "site").Programmed);
    }

    [Fact]
    public void Without_hosts_and_alternative_names_the_common_name_is_served()
    {
        var output = Translate(Input([WithTls("site", "site-tls")], [Service("api")], secrets: [TlsSecret("site-tls", "Site.Example.com")]));

        Assert.Equal(["site.example.com"], output.Configuration.Snis.Select(s => s.Name));
        Assert.True(output.ResultFor("Ingress", "site").Programmed);
    }

    [Fact]
    public void Without_hosts_a_certificate_naming_no_host_fails_the_tls_entry_not_the_routes()
    {
        var output = Translate(Input([WithTls("site", "site-tls")], [Service("api")], secrets: [TlsSecret("site-tls", "Example Company")]));

        Assert.Single(output.Configuration.Routes);
        Assert.Empty(output.Configuration.Certificates);
        var problem = Assert.Single(output.ResultFor("Ingress", "site").Problems);
        Assert.Equal(ProblemReasons.InvalidTls, problem.Reason);
        Assert.Equal("spec.tls[0].hosts: required: the certificate of Secret \"default/site-tls\" names no DNS host to serve it for by SNI",
            problem.ToString());
    }

    [Fact]
    public void A_missing_secret_fails_the_tls_entry_not_the_routes()
    {
        var output = Translate(Input([WithTls("site", "absent", "example.com")], [Service("api")]));

        Assert.Single(output.Configuration.Routes);
        Assert.Empty(output.Configuration.Certificates);
        Assert.Empty(output.Configuration.Snis);
        var result = output.ResultFor("Ingress", "site");
        Assert.Equal(ProblemReasons.InvalidTls, result.Reason);
        Assert.Equal("spec.tls[0].secretName: Secret \"default/absent\" not found", result.Message);
    }

    [Theory]
    [InlineData("kubernetes.io/tls", "not a certificate", "is not a key")]
    [InlineData("Opaque", "", "")]
    public void A_malformed_secret_fails_the_tls_entry_not_the_routes(string type, string cert, string key)
    {
        var good = TlsSecret("good-tls", "good.example.com");
        var output = Translate(Input(
            [WithTls("bad", "bad-tls", "bad.example.com"), WithTls("good", "good-tls", "good.example.com")],
            [Service("api")],
            secrets: [Secret("bad-tls", type, cert, key), good]));

        Assert.Equal(2, output.Configuration.Routes.Count);
        Assert.Equal(["good.example.com"], output.Configuration.Snis.Select(s => s.Name));
        var problem = Assert.Single(output.ResultFor("Ingress", "bad").Problems);
        Assert.Equal("spec.tls[0].secretName", problem.Field);
        Assert.StartsWith("Secret \"default/bad-tls\" ", problem.Message);
    }

    [Fact]
    public void A_host_already_served_with_another_secret_fails_for_the_later_ingress()
    {
        var output = Translate(Input(
            [WithTls("second", "second-tls", "example.com"), WithTls("first", "first-tls", "example.com")],
            [Service("api")],
            secrets: [TlsSecret("first-tls", "example.com"), TlsSecret("second-tls", "example.com")]));

        var sni = Assert.Single(output.Configuration.Snis);
        Assert.Equal(output.Configuration.Certificates.Single(c => c.Tags.Contains("k8s-name:first-tls")).Id, sni.Certificate.Id);
        Assert.Equal("spec.tls[0].hosts[0]: host \"example.com\" is already served with the certificate of Secret \"default/first-tls\"",
            output.ResultFor("Ingress", "second").Message);
        Assert.True(output.ResultFor("Ingress", "first").Programmed);
    }
}
