using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Proxy.Tests.Declarative;
using Gateway.Proxy.Tls;

namespace Gateway.Proxy.Tests.Tls;

/// <summary>Why an upstream certificate is refused: its chain, its name, its depth; and how the refusal is found again in a failed request.</summary>
public class UpstreamCertificateCheckTests
{
    private static readonly X509Certificate2 Root = TestCertificates.CreateAuthority("Check Root");
    private static readonly X509Certificate2 Intermediate = TestCertificates.CreateAuthority("Check Intermediate", Root, DateTimeOffset.UtcNow.AddMonths(5));
    private static readonly X509Certificate2 DirectLeaf = Leaf(Root);
    private static readonly X509Certificate2 IndirectLeaf = Leaf(Intermediate);

    [Fact]
    public void A_chain_within_the_depth_is_accepted()
    {
        using var direct = Chain(DirectLeaf);
        using var indirect = Chain(IndirectLeaf);

        Assert.Null(UpstreamCertificateCheck.Check(SslPolicyErrors.None, direct, 0, "upstream"));
        Assert.Null(UpstreamCertificateCheck.Check(SslPolicyErrors.None, indirect, 1, "upstream"));
    }

    [Fact]
    public void Each_intermediate_certificate_counts_against_tls_verify_depth()
    {
        using var indirect = Chain(IndirectLeaf);

        var rejection = UpstreamCertificateCheck.Check(SslPolicyErrors.None, indirect, 0, "upstream");

        Assert.Equal(UpstreamTlsFailure.ChainTooLong, rejection!.Kind);
        Assert.Equal("certificate chain has 1 intermediate certificates, tls_verify_depth allows 0", rejection.Message);
    }

    [Fact]
    public void Chain_name_and_missing_certificate_problems_are_named()
    {
        using var untrusted = new X509Chain();
        untrusted.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        untrusted.ChainPolicy.DisableCertificateDownloads = true;
        untrusted.Build(IndirectLeaf);
        using var trusted = Chain(DirectLeaf);

        var chain = UpstreamCertificateCheck.Check(SslPolicyErrors.RemoteCertificateChainErrors, untrusted, 5, "upstream");
        var name = UpstreamCertificateCheck.Check(SslPolicyErrors.RemoteCertificateNameMismatch, trusted, 5, "api.example");
        var none = UpstreamCertificateCheck.Check(SslPolicyErrors.RemoteCertificateNotAvailable, null, 5, "upstream");

        Assert.Equal(UpstreamTlsFailure.Untrusted, chain!.Kind);
        Assert.StartsWith("certificate not trusted: ", chain.Message);
        Assert.True(chain.Message.Length > "certificate not trusted: ".Length);
        Assert.Equal((UpstreamTlsFailure.NameMismatch, "certificate does not match the name 'api.example'"), (name!.Kind, name.Message));
        Assert.Equal(UpstreamTlsFailure.NoCertificate, none!.Kind);
    }

    [Fact]
    public void A_failed_request_tells_its_tls_failure_and_other_failures_tell_none()
    {
        var rejected = new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established",
            new UpstreamCertificateRejectedException(UpstreamTlsFailure.Untrusted, "certificate not trusted: untrusted root"));
        var handshake = new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established",
            new IOException("Received an unexpected EOF or 0 bytes from the transport stream."));
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new IOException("refused"));

        Assert.Equal(new UpstreamTlsFailure(UpstreamTlsFailure.Untrusted, "certificate not trusted: untrusted root"), UpstreamTlsFailure.Of(rejected));
        Assert.Equal(new UpstreamTlsFailure(UpstreamTlsFailure.Handshake, "Received an unexpected EOF or 0 bytes from the transport stream."),
            UpstreamTlsFailure.Of(handshake));
        Assert.Null(UpstreamTlsFailure.Of(refused));
        Assert.Null(UpstreamTlsFailure.Of(null));
    }

    /// <summary>The chain of <paramref name="leaf"/> up to <see cref="Root"/>, built as the handshake builds it with custom trust.</summary>
    private static X509Chain Chain(X509Certificate2 leaf)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Root);
        chain.ChainPolicy.ExtraStore.Add(Intermediate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(leaf));
        return chain;
    }

    private static X509Certificate2 Leaf(X509Certificate2 issuer)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=upstream", key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        return request.Create(issuer, now.AddDays(-1), now.AddMonths(4), RandomNumberGenerator.GetBytes(8));
    }
}
