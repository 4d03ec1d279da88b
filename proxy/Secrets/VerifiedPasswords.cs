using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Proxy.Secrets;

/// <summary>
/// Checks presented passwords against stored PBKDF2 hashes, remembering for each credential a keyed digest of the
/// last password that passed, so that a client sending the same password again costs one HMAC instead of the
/// whole PBKDF2 derivation. The HMAC key is random and lives only in memory; no clear password is kept. A wrong
/// password always pays for PBKDF2, and so does any password presented for a username nobody has, so that the time an
/// answer takes does not tell which usernames exist. One instance per configuration snapshot: a changed password
/// starts afresh.
/// </summary>
/// <param name="check">Checks a password against a stored hash; PBKDF2 (<see cref="SecretHash.VerifyPassword"/>) unless a test counts.</param>
public sealed class VerifiedPasswords(Func<string, string, bool>? check = null)
{
    private const int MaxStackBytes = 256;

    private readonly Func<string, string, bool> _check = check ?? SecretHash.VerifyPassword;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<Guid, byte[]> _digests = new();

    /// <summary>
    /// Whether <paramref name="presented"/> is the password of <paramref name="credential"/>, whose stored hash is
    /// <paramref name="stored"/>; with no credential (an unknown username), false, after checking it against a decoy hash.
    /// </summary>
    public bool Verify(Guid? credential, string presented, string? stored)
    {
        if (credential is not { } id || stored is null)
        {
            _check(presented, SecretHash.DecoyPasswordHash);
            return false;
        }
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Digest(presented, digest);
        if (_digests.TryGetValue(id, out var known) && CryptographicOperations.FixedTimeEquals(known, digest)) return true;
        if (!_check(presented, stored)) return false;
        _digests[id] = digest.ToArray();
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
