using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Gateway.KubeApiServer.Authorization;

/// <summary>Who a request comes from, as the API server's authenticators establish it.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public const string Authenticated = "system:authenticated";
    public const string Masters = "system:masters";

    public bool IsMaster => Groups.Contains(Masters);
}

/// <summary>The bearer tokens the server knows and the users they stand for.</summary>
sealed class Tokens
{
    readonly ConcurrentDictionary<string, UserInfo> users = new(StringComparer.Ordinal);

    /// <summary>A new token for <paramref name="user"/> in <paramref name="groups"/> (and system:authenticated, as every authenticated user).</summary>
    public string Issue(string user, IEnumerable<string> groups)
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        users[token] = new UserInfo(user, groups.Append(UserInfo.Authenticated).Distinct().ToList());
        return token;
    }

    /// <summary>A service account's token: user system:serviceaccount:NS:NAME in the service-account groups.</summary>
    public string IssueServiceAccount(string ns, string name) =>
        Issue($"system:serviceaccount:{ns}:{name}", ["system:serviceaccounts", $"system:serviceaccounts:{ns}"]);

    /// <summary>The user of an Authorization header; null when it carries no token this server issued.</summary>
    public UserInfo? Authenticate(string? authorization)
    {
        const string Bearer = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
            return null;
        return users.GetValueOrDefault(authorization[Bearer.Length..].Trim());
    }
}
