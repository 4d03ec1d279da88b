using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Proxy.Tls;

/// <summary>
/// Whether an upstream's certificate is accepted when a service verifies it (tls_verify): the chain must end at a
/// trusted root, the certificate must name the host the gateway asked for (the Host header sent upstream, as Kong's
/// proxy_ssl_name), and the chain may have at most tls_verify_depth intermediate certificates, as OpenSSL counts depth.
/// </summary>
public static class UpstreamCertificateCheck
{
    /// <summary>The refusal, or null when the certificate is accepted.</summary>
    public static UpstreamCertificateRejectedException? Check(SslPolicyErrors errors, X509Chain? chain, int maxIntermediates, string? host)
    {
        if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            return new UpstreamCertificateRejectedException(UpstreamTlsFailure.NoCertificate, "the upstream presented no certificate");
        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            return new UpstreamCertificateRejectedException(UpstreamTlsFailure.Untrusted, "certificate not trusted: " + ChainProblems(chain));
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return new UpstreamCertificateRejectedException(UpstreamTlsFailure.NameMismatch, $"certificate does not match the name '{host}'");
        // The chain runs from the upstream's certificate to the trust anchor; what lies between are intermediates.
        var intermediates = chain is null ? 0 : Math.Max(0, chain.ChainElements.Count - 2);
        if (intermediates > maxIntermediates)
            return new UpstreamCertificateRejectedException(UpstreamTlsFailure.ChainTooLong,
                $"certificate chain has {intermediates} intermediate certificates, tls_verify_depth allows {maxIntermediates}");
        return null;
    }

    private static string ChainProblems(X509Chain? chain)
    {
        if (chain is null || chain.ChainStatus.Length == 0) return "no chain to a trusted root";
        var problems = new List<string>();
        foreach (var status in chain.ChainStatus)
        {
            var text = string.IsNullOrWhiteSpace(status.StatusInformation) ? status.Status.ToString() : status.StatusInformation.Trim();
            if (!problems.Contains(text)) problems.Add(text);
        }
        return string.Join("; ", problems);
    }
}

/// <summary>
/// An upstream certificate refused by <see cref="UpstreamCertificateCheck"/>. The validation callback throws it, so that
/// the reason travels with the failed request to the log line and the metric that name the service.
/// </summary>
public sealed class UpstreamCertificateRejectedException(string kind, string reason) : AuthenticationException(reason)
{
    /// <summary>One of <see cref="UpstreamTlsFailure"/>'s kinds.</summary>
    public string Kind { get; } = kind;
}
