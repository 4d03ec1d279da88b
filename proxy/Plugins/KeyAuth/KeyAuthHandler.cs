using System.Text.Json;
using Gateway.Proxy.Consumers;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Transforms;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Proxy.Plugins.KeyAuth;

/// <summary>Authenticates a request by an API key in a header, the query string or the body, as Kong's key-auth.</summary>
public sealed class KeyAuthHandler(KeyAuthConfig config) : PluginHandler
{
    public const string Name = "key-auth";
    public const string Challenge = "Key realm=\"tollgate\"";

    public static readonly PluginDefinition Registration =
        PluginDefinition.Create<KeyAuthConfig>(Name, 1250, (config, _) => new KeyAuthHandler(config), allowsConsumer: false);

    public override async ValueTask AccessAsync(PluginContext context)
    {
        var request = context.Http.Request;
        if (!config.RunOnPreflight && HttpMethods.IsOptions(request.Method)) return;
        if (AuthenticationOutcome.AlreadySatisfied(context, config.Anonymous)) return;

        var (found, duplicate) = FindKey(request);
        if (found is null && config.KeyInBody && !duplicate) found = await FindKeyInBodyAsync(request, context.Services.BodyBufferSize);
        if (duplicate)
        {
            AuthenticationOutcome.Fail(context, config.Anonymous, 401, "Duplicate API key found", Challenge);
            return;
        }
        if (found is not { } key)
        {
            AuthenticationOutcome.Fail(context, config.Anonymous, 401, "No API key found in request", Challenge);
            return;
        }

        var credential = context.Consumers.FindKey(key.Value);
        if (credential is null || IsExpired(credential, context.Services.Clock) || context.Consumers.ById(credential.Consumer!.Id) is not { } consumer)
        {
            AuthenticationOutcome.Fail(context, config.Anonymous, 401, "Unauthorized", Challenge);
            return;
        }
        if (config.HideCredentials) Hide(request, key.Name, key.InQuery);
        context.Authenticate(consumer, credential.Id, credential.Id.ToString());
    }

    private static bool IsExpired(Entities.KeyAuthCredential credential, TimeProvider clock) =>
        credential.Ttl is > 0 and var ttl && clock.GetUtcNow().ToUnixTimeSeconds() >= credential.CreatedAt + ttl;

    private readonly record struct FoundKey(string Name, string Value, bool InQuery);

    private (FoundKey? Key, bool Duplicate) FindKey(HttpRequest request)
    {
        foreach (var name in config.KeyNames)
        {
            if (config.KeyInHeader && request.Headers.TryGetValue(name, out var header) && !StringValues.IsNullOrEmpty(header))
                return header.Count > 1 ? (null, true) : (new FoundKey(name, header.ToString(), false), false);
            if (config.KeyInQuery && request.Query.TryGetValue(name, out var query) && !StringValues.IsNullOrEmpty(query))
                return query.Count > 1 ? (null, true) : (new FoundKey(name, query.ToString(), true), false);
        }
        return (null, false);
    }

    /// <summary>
    /// The body is read into memory and forwarded whole. One longer than the plugins' body buffer is not searched (as
    /// Kong treats a body it cannot read as empty) and streams to the upstream unchanged.
    /// </summary>
    private async ValueTask<FoundKey?> FindKeyInBodyAsync(HttpRequest request, int bufferSize)
    {
        var isForm = request.HasFormContentType;
        if (!isForm && !BodyMediaTypes.IsJson(request.ContentType)) return null;
        if (await BoundedBody.ReadRequestAsync(request, bufferSize) is not { } body) return null;
        try
        {
            if (isForm)
            {
                var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
                foreach (var name in config.KeyNames)
                    if (form.TryGetValue(name, out var value) && !StringValues.IsNullOrEmpty(value)) return new FoundKey(name, value.ToString(), false);
                return null;
            }
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
            foreach (var name in config.KeyNames)
                if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                    return new FoundKey(name, value.GetString()!, false);
            return null;
        }
        // The body is in memory by now: an IOException is a form that does not parse (a truncated multipart body).
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException)
        {
            return null;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private static void Hide(HttpRequest request, string name, bool inQuery)
    {
        if (!inQuery)
        {
            request.Headers.Remove(name);
            return;
        }
        var remaining = new List<KeyValuePair<string, string?>>();
        foreach (var (key, values) in request.Query)
        {
            if (key == name) continue;
            foreach (var value in values) remaining.Add(new(key, value));
        }
        request.QueryString = QueryString.Create(remaining);
    }
}
