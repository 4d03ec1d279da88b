using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Admin.Http;

/// <summary>
/// The Admin API token check: <c>Authorization: Bearer &lt;token&gt;</c> or <c>Kong-Admin-Token: &lt;token&gt;</c>.
/// Both sides are hashed first so that the comparison takes the same time whatever is presented.
/// </summary>
public sealed class AdminAuth(string? token)
{
    private readonly byte[]? _expected = token is null ? null : Hash(token);

    /// <summary>Whether a token is configured; without one every request is authorized.</summary>
    public bool RequiresToken => _expected is not null;

    public bool IsAuthorized(HttpRequest request)
    {
        if (_expected is null) return true;
        var presented = Presented(request);
        return presented is not null && CryptographicOperations.FixedTimeEquals(Hash(presented), _expected);
    }

    private static string? Presented(HttpRequest request)
    {
        var adminToken = request.Headers["Kong-Admin-Token"];
        if (adminToken.Count > 0) return adminToken[0];
        var authorization = request.Headers.Authorization;
        if (authorization.Count == 0 || authorization[0] is not { } value) return null;
        const string scheme = "Bearer ";
        return value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? value[scheme.Length..].Trim() : null;
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
