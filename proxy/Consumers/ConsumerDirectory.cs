using Gateway.Proxy.Entities;
using Gateway.Proxy.Secrets;

namespace Gateway.Proxy.Consumers;

/// <summary>
/// The consumers of one snapshot and their credentials, indexed the way authentication looks them up: API keys
/// by the whole SHA-256 of the key (so no byte of a secret is ever compared), basic-auth credentials by username, JWT secrets by key, ACL groups by consumer.
/// Built once per snapshot, read by any number of requests.
/// </summary>
public sealed class ConsumerDirectory
{
    private readonly Dictionary<Guid, Consumer> _byId = new();
    private readonly Dictionary<string, Consumer> _byUsername = new(StringComparer.Ordinal);
    private readonly Dictionary<KeyDigest, KeyAuthCredential> _keys = new();
    private readonly Dictionary<string, BasicAuthCredential> _basic = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JwtSecret> _jwt = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, string[]> _groups = new();
    private readonly Dictionary<Guid, string> _groupsHeaders = new();

    private ConsumerDirectory()
    {
    }

    public static ConsumerDirectory Build(ConfigData config)
    {
        var directory = new ConsumerDirectory();
        foreach (var consumer in config.Consumers)
        {
            directory._byId[consumer.Id] = consumer;
            if (consumer.Username is { } username) directory._byUsername[username] = consumer;
        }
        foreach (var credential in config.All<KeyAuthCredential>())
        {
            if (credential.Key is not { } key || !SecretHash.IsHashedKey(key)) continue;
            directory._keys[KeyDigest.Of(SecretHash.StoredKeyDigest(key))] = credential;
        }
        foreach (var credential in config.All<BasicAuthCredential>()) directory._basic[credential.Username!] = credential;
        foreach (var secret in config.All<JwtSecret>()) directory._jwt[secret.Key!] = secret;
        var groups = new Dictionary<Guid, List<string>>();
        foreach (var acl in config.All<Acl>())
        {
            if (!groups.TryGetValue(acl.Consumer!.Id, out var list)) groups[acl.Consumer.Id] = list = [];
            list.Add(acl.Group!);
        }
        foreach (var (consumer, list) in groups)
        {
            directory._groups[consumer] = list.ToArray();
            directory._groupsHeaders[consumer] = string.Join(", ", list);
        }
        return directory;
    }

    public Consumer? ById(Guid id) => _byId.GetValueOrDefault(id);

    /// <summary>A consumer named by id or by username, as plugin settings such as <c>anonymous</c> name them.</summary>
    public Consumer? Find(string idOrUsername) =>
        Guid.TryParse(idOrUsername, out var id) && _byId.TryGetValue(id, out var byId) ? byId : _byUsername.GetValueOrDefault(idOrUsername);

    /// <summary>The key-auth credential of a presented API key, found by the key's SHA-256.</summary>
    public KeyAuthCredential? FindKey(ReadOnlySpan<char> presented)
    {
        Span<byte> digest = stackalloc byte[SecretHash.KeyDigestBytes];
        SecretHash.KeyDigest(presented, digest);
        return _keys.GetValueOrDefault(KeyDigest.Of(digest));
    }

    public BasicAuthCredential? FindBasicAuth(string username) => _basic.GetValueOrDefault(username);

    public JwtSecret? FindJwtSecret(string key) => _jwt.GetValueOrDefault(key);

    /// <summary>The ACL groups of a consumer (empty when it has none).</summary>
    public string[] GroupsOf(Guid consumer) => _groups.GetValueOrDefault(consumer) ?? [];

    /// <summary>The ACL groups of a consumer as X-Consumer-Groups lists them; null when it has none.</summary>
    public string? GroupsHeaderOf(Guid consumer) => _groupsHeaders.GetValueOrDefault(consumer);

    /// <summary>A SHA-256 digest as a dictionary key, so a lookup allocates nothing.</summary>
    private readonly record struct KeyDigest(ulong A, ulong B, ulong C, ulong D)
    {
        public static KeyDigest Of(ReadOnlySpan<byte> digest) => new(
            BitConverter.ToUInt64(digest[..8]), BitConverter.ToUInt64(digest[8..16]),
            BitConverter.ToUInt64(digest[16..24]), BitConverter.ToUInt64(digest[24..32]));
    }
}
