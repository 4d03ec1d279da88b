using Gateway.Proxy.Entities;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Consumers;

/// <summary>
/// The headers that tell the upstream who the client is. They belong to the gateway: whatever a client sent under
/// these names is removed before any plugin runs, and only authentication plugins set them, so an upstream can
/// trust them.
/// </summary>
public static class ConsumerHeaders
{
    public const string ConsumerId = "X-Consumer-ID";
    public const string CustomId = "X-Consumer-Custom-ID";
    public const string Username = "X-Consumer-Username";
    public const string CredentialIdentifier = "X-Credential-Identifier";
    public const string Anonymous = "X-Anonymous-Consumer";
    public const string Groups = "X-Consumer-Groups";

    /// <summary>
    /// What the gateway alone sends: the consumer headers above, Kong's X-Credential-Username and X-Anonymous-Groups, and
    /// X-Authenticated-* (the user, scope and groups Kong's OAuth2 and LDAP plugins name).
    /// </summary>
    private static readonly string[] IdentityPrefixes = ["X-Consumer-", "X-Credential-", "X-Anonymous-", "X-Authenticated-"];

    public static void Set(IHeaderDictionary headers, Consumer consumer, string? credentialIdentifier, bool anonymous)
    {
        headers[ConsumerId] = consumer.Id.ToString();
        SetOrRemove(headers, CustomId, consumer.CustomId);
        SetOrRemove(headers, Username, consumer.Username);
        SetOrRemove(headers, CredentialIdentifier, credentialIdentifier);
        SetOrRemove(headers, Anonymous, anonymous ? "true" : null);
    }

    public static void SetOrRemove(IHeaderDictionary headers, string name, string? value)
    {
        if (value is null) headers.Remove(name);
        else headers[name] = value;
    }

    /// <summary>Removes every identity header the client sent, in one pass over the headers.</summary>
    public static void RemoveClientCopies(IHeaderDictionary headers)
    {
        List<string>? found = null;
        foreach (var (name, _) in headers)
            if (IsIdentityHeader(name)) (found ??= []).Add(name);
        if (found is null) return;
        foreach (var name in found) headers.Remove(name);
    }

    private static bool IsIdentityHeader(string name)
    {
        if (name.Length < 2 || (name[0] | 0x20) != 'x' || name[1] != '-') return false;
        foreach (var prefix in IdentityPrefixes)
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
