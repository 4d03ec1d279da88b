using System.Security.Cryptography;
using System.Text;

namespace Gateway.Proxy.RateLimits;

/// <summary>
/// What a counter belongs to: the route and service the plugin is configured on (Guid.Empty where it names none,
/// so a service-wide plugin counts every route of the service together, as in Kong).
/// </summary>
public sealed class CounterScope
{
    public CounterScope(Guid route, Guid service)
    {
        Route = route;
        Service = service;
        RedisPrefix = $"ratelimit:{route}:{service}:";
    }

    public Guid Route { get; }
    public Guid Service { get; }

    /// <summary>"ratelimit:{route}:{service}:", the start of every Redis key of this scope.</summary>
    public string RedisPrefix { get; }
}

/// <summary>
/// Who is counted: an entity id (consumer, credential, service) or a text (client address, header value, path).
/// An id is kept as a Guid so that identifying a request allocates nothing.
/// </summary>
public readonly record struct CounterIdentity(Guid Id, string? Text)
{
    /// <summary>Longer texts (say, a huge header value) are hashed so that keys stay short.</summary>
    public const int MaxTextLength = 128;

    public static CounterIdentity Of(Guid id) => new(id, null);

    public static CounterIdentity Of(string text) => new(Guid.Empty, text);

    /// <summary>The identity as it appears in a Redis key.</summary>
    public int FormatLength => Text is null ? 36 : Text.Length <= MaxTextLength ? Text.Length : HashedLength;

    private const int HashedLength = 7 + 16;

    public void Format(Span<char> destination, out int written)
    {
        if (Text is null)
        {
            Id.TryFormat(destination, out written);
            return;
        }
        if (Text.Length <= MaxTextLength)
        {
            Text.CopyTo(destination);
            written = Text.Length;
            return;
        }
        // "sha256:" and the first 64 bits of the digest, hex: 23 characters.
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(Text), digest);
        "sha256:".CopyTo(destination);
        Convert.TryToHexStringLower(digest[..8], destination[7..], out var hex);
        written = 7 + hex;
    }
}

/// <summary>The local counters' dictionary key: scope, and the identity's id or the keyed digest of its text.</summary>
internal readonly record struct CounterKey(Guid Route, Guid Service, Guid Id, UInt128 TextDigest);
