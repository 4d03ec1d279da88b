using System.Net.Http;

namespace Gateway.Proxy.Tls;

/// <summary>A try that failed in the TLS handshake with the upstream: what kind of failure (a metric label) and why.</summary>
public readonly record struct UpstreamTlsFailure(string Kind, string Reason)
{
    public const string Untrusted = "untrusted";
    public const string NameMismatch = "name_mismatch";
    public const string ChainTooLong = "chain_too_long";
    public const string NoCertificate = "no_certificate";

    /// <summary>
    /// Any other handshake failure: no protocol or cipher in common, a connection broken during the handshake, a client
    /// certificate refused in a TLS 1.2 handshake (TLS 1.3 refuses it after the handshake: the connection just closes).
    /// </summary>
    public const string Handshake = "handshake";

    /// <summary>The TLS failure behind a failed try, or null when the try failed for another reason.</summary>
    public static UpstreamTlsFailure? Of(Exception? error)
    {
        var secureConnection = false;
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is UpstreamCertificateRejectedException rejected) return new UpstreamTlsFailure(rejected.Kind, rejected.Message);
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }) secureConnection = true;
            if (secureConnection && e.InnerException is null) return new UpstreamTlsFailure(Handshake, e.Message);
        }
        return null;
    }
}
