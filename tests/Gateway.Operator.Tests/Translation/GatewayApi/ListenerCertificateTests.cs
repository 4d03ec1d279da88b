using Gateway.Operator.GatewayApi;
using Gateway.Proxy.Declarative;
using static Gateway.Operator.Tests.Translation.GatewayApi.GatewayApiObjects;

namespace Gateway.Operator.Tests.Translation.GatewayApi;

public class ListenerCertificateTests
{
    static Listener Https(string hostname, string secret, string? ns = null) => new()
    {
        Name = "https", Protocol = "HTTPS", Port = 443, Hostname = hostname,
        Tls = new() { CertificateRefs = [new SecretObjectReference { Name = secret, Namespace = ns }] },
    };

    [Fact]
    public void An_HTTPS_listener_serves_its_Secrets_certificate_for_its_hostname_and_not_a_Secret_it_may_not_use()
    {
        var gateway = GatewayWith("web", Https("secure.example.com", "cert"), Https("other.example.com", "cert", ns: "elsewhere"));
        gateway.Spec.Listeners![1].Name = "elsewhere";
        var own = Cluster.TlsSecret("cert", "secure.example.com");
        own.Metadata.NamespaceProperty = gateway.Metadata.NamespaceProperty;
        var foreign = Cluster.TlsSecret("cert", "other.example.com");
        foreign.Metadata.NamespaceProperty = "elsewhere";

        var output = Cluster.Translate(Input([gateway], [], [], []) with { Secrets = [own, foreign] });

        var sni = Assert.Single(output.Configuration.Snis);
        Assert.Equal("secure.example.com", sni.Name);
        Assert.Contains("k8s-kind:Gateway", sni.Tags);
        var certificate = Assert.Single(output.Configuration.Certificates);
        Assert.Equal(certificate.Id, sni.Certificate.Id);
        Assert.True(DeclarativeParser.Parse(output.Configuration.ToJson()).IsValid);
    }
}
