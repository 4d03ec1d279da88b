using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Proxy.Secrets;

/// <summary>
/// Checks presented passwords against stored PBKDF2 hashes, remembering for each credential a keyed digest of the
/// last password that passed, so that a client sending the same password again costs one HMAC instead of the
/// whole PBKDF2 derivation. The HMAC key is random and lives only in memory; no clear password is kept. A wrong
/// password always pays for PBKDF2. One instance per configuration snapshot: a changed password starts afresh.
/// </summary>
public sealed class VerifiedPasswords
{
    private const int MaxStackBytes = 256;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<Guid, byte[]> _digests = new();

    public bool Verify(Guid credential, string presented, string stored)
    {
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Digest(presented, digest);
        if (_digests.TryGetValue(credential, out var known) && CryptographicOperations.FixedTimeEquals(known, digest)) return true;
        if (!SecretHash.VerifyPassword(presented, stored)) return false;
        _digests[credential] = digest.ToArray();
        return true;
    }

    private void Digest(string password, Span<byte> destination)
    {
        var length = Encoding.UTF8.GetByteCount(password);
        var bytes = length <= MaxStackBytes ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(password, bytes);
        HMACSHA256.HashData(_key, bytes, destination);
        CryptographicOperations.ZeroMemory(bytes);
    }
}
