using System.Buffers;
using System.Text;
using Gateway.Proxy.Consumers;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Secrets;
using Microsoft.Net.Http.Headers;

namespace Gateway.Proxy.Plugins.BasicAuth;

/// <summary>
/// Authenticates a request by a username and password sent as <c>Basic base64(username:password)</c> in
/// Proxy-Authorization or Authorization (in that order), as Kong's basic-auth. Every failure, a malformed header
/// included, is a 401 "Unauthorized" with a Basic challenge.
/// </summary>
public sealed class BasicAuthHandler(BasicAuthConfig config) : PluginHandler
{
    public const string Name = "basic-auth";
    public const string Unauthorized = "Unauthorized";

    public static readonly PluginDefinition Registration =
        PluginDefinition.Create<BasicAuthConfig>(Name, 1100, (config, _) => new BasicAuthHandler(config), allowsConsumer: false);

    private readonly string _challenge = $"Basic realm=\"{config.Realm}\"";
    private readonly VerifiedPasswords _passwords = new();

    public override async ValueTask AccessAsync(PluginContext context)
    {
        if (AuthenticationOutcome.AlreadySatisfied(context, config.Anonymous)) return;

        if (await AuthenticateAsync(context, HeaderNames.ProxyAuthorization) || await AuthenticateAsync(context, HeaderNames.Authorization)) return;
        AuthenticationOutcome.Fail(context, config.Anonymous, 401, Unauthorized, _challenge);
    }

    /// <summary>Tries the credentials of one header; the header is removed once read when credentials are hidden.</summary>
    private async ValueTask<bool> AuthenticateAsync(PluginContext context, string header)
    {
        var headers = context.Http.Request.Headers;
        if (!headers.TryGetValue(header, out var values)) return false;
        if (config.HideCredentials) headers.Remove(header);
        if (values.Count != 1 || !TryParse(values[0], out var username, out var password)) return false;

        var credential = context.Consumers.FindBasicAuth(username);
        // An unknown username is checked too (against a decoy), so it costs what a wrong password costs.
        if (!await _passwords.VerifyAsync(credential?.Id, password, credential?.Password, context.Http.RequestAborted)) return false;
        if (context.Consumers.ById(credential!.Consumer!.Id) is not { } consumer) return false;
        context.Authenticate(consumer, credential.Id, credential.Username);
        return true;
    }

    /// <summary>
    /// Reads <c>Basic base64(username:password)</c>. The username ends at the first colon and may not be empty;
    /// anything else (another scheme, bad base64, no colon) is not a credential.
    /// </summary>
    public static bool TryParse(string? header, out string username, out string password)
    {
        username = password = "";
        var value = header.AsSpan().Trim();
        if (value.Length < 7 || !value.StartsWith("Basic", StringComparison.OrdinalIgnoreCase) || value[5] is not (' ' or '\t'))
            return false;
        var encoded = value[6..].Trim();

        var buffer = ArrayPool<byte>.Shared.Rent(encoded.Length);
        try
        {
            if (!Convert.TryFromBase64Chars(encoded, buffer, out var length)) return false;
            var decoded = Encoding.UTF8.GetString(buffer, 0, length);
            var colon = decoded.IndexOf(':');
            if (colon <= 0) return false;
            username = decoded[..colon];
            password = decoded[(colon + 1)..];
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
