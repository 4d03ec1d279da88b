using Gateway.Proxy.Entities;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Consumers;

/// <summary>
/// The headers Kong sends upstream about the authenticated consumer. Each is set or removed, never left as the
/// client sent it, so an upstream can trust them.
/// </summary>
public static class ConsumerHeaders
{
    public const string ConsumerId = "X-Consumer-ID";
    public const string CustomId = "X-Consumer-Custom-ID";
    public const string Username = "X-Consumer-Username";
    public const string CredentialIdentifier = "X-Credential-Identifier";
    public const string Anonymous = "X-Anonymous-Consumer";
    public const string Groups = "X-Consumer-Groups";

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
}
