using Gateway.Proxy.PluginEngine;

namespace Gateway.Proxy.Consumers;

/// <summary>
/// What every authentication plugin does the same way: a consumer already authenticated by another plugin makes an
/// authentication with an <c>anonymous</c> fallback unnecessary (Kong's logical OR of auth methods), and a failed
/// authentication either answers 401 or lets the request through as the anonymous consumer.
/// </summary>
public static class AuthenticationOutcome
{
    /// <summary>True when this plugin can be skipped: it has an anonymous fallback and a real credential was already accepted.</summary>
    public static bool AlreadySatisfied(PluginContext context, string? anonymous) =>
        anonymous is not null && context.CredentialId is not null;

    /// <summary>
    /// A failed authentication: as the anonymous consumer when one is configured, else an error answer with a
    /// WWW-Authenticate challenge.
    /// </summary>
    public static void Fail(PluginContext context, string? anonymous, int status, string message, string? challenge,
        IReadOnlyList<KeyValuePair<string, string>>? fields = null)
    {
        if (anonymous is null)
        {
            if (challenge is not null) context.Http.Response.Headers.WWWAuthenticate = challenge;
            context.Exit(status, message, fields);
            return;
        }
        if (context.Consumers.Find(anonymous) is { } consumer)
        {
            context.Authenticate(consumer, credentialId: null, credentialIdentifier: null);
            return;
        }
        context.Exit(500, $"anonymous consumer {anonymous} is configured but doesn't exist");
    }

    /// <summary>
    /// The rule for a <c>realm</c> setting: it is written inside the quotes of a WWW-Authenticate challenge, so it
    /// cannot hold quotes, backslashes or line breaks.
    /// </summary>
    public static string? CheckRealm(string realm) =>
        realm.AsSpan().IndexOfAny("\"\\\r\n") < 0 ? null : "must not contain quotes, backslashes or line breaks";
}
