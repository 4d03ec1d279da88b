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
/// <para>
/// Since anybody can make the gateway run PBKDF2 (one request with a made-up username is enough), at most
/// <see cref="ConcurrentDerivations"/> derivations run at once in the process, half the cores: a flood of bad
/// passwords waits its turn while the other cores keep serving every other request.
/// </para>
/// </summary>
/// <param name="check">Checks a password against a stored hash; PBKDF2 (<see cref="SecretHash.VerifyPassword"/>) unless a test counts.</param>
/// <param name="derivations">Bounds the checks that run at once; the process-wide bound unless a test brings its own.</param>
public sealed class VerifiedPasswords(Func<string, string, bool>? check = null, SemaphoreSlim? derivations = null)
{
    private const int MaxStackBytes = 256;

    public static readonly int ConcurrentDerivations = Math.Max(1, Environment.ProcessorCount / 2);

    private static readonly SemaphoreSlim ProcessDerivations = new(ConcurrentDerivations);

    private readonly Func<string, string, bool> _check = check ?? SecretHash.VerifyPassword;
    private readonly SemaphoreSlim _derivations = derivations ?? ProcessDerivations;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<Guid, byte[]> _digests = new();

    /// <summary>
    /// Whether <paramref name="presented"/> is the password of <paramref name="credential"/>, whose stored hash is
    /// <paramref name="stored"/>; with no credential (an unknown username), false, after checking it against a decoy hash.
    /// </summary>
    public ValueTask<bool> VerifyAsync(Guid? credential, string presented, string? stored, CancellationToken cancellationToken = default)
    {
        if (credential is not { } id || stored is null) return DecoyAsync(presented, cancellationToken);
        return IsRemembered(id, presented) ? ValueTask.FromResult(true) : CheckAndRememberAsync(id, presented, stored, cancellationToken);
    }

    private async ValueTask<bool> DecoyAsync(string presented, CancellationToken cancellationToken)
    {
        await CheckAsync(presented, SecretHash.DecoyPasswordHash, cancellationToken);
        return false;
    }

    private bool IsRemembered(Guid credential, string presented)
    {
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Digest(presented, digest);
        return _digests.TryGetValue(credential, out var known) && CryptographicOperations.FixedTimeEquals(known, digest);
    }

    private async ValueTask<bool> CheckAndRememberAsync(Guid credential, string presented, string stored, CancellationToken cancellationToken)
    {
        if (!await CheckAsync(presented, stored, cancellationToken)) return false;
        var digest = new byte[HMACSHA256.HashSizeInBytes];
        Digest(presented, digest);
        _digests[credential] = digest;
        return true;
    }

    private async ValueTask<bool> CheckAsync(string presented, string stored, CancellationToken cancellationToken)
    {
        await _derivations.WaitAsync(cancellationToken);
        try
        {
            return _check(presented, stored);
        }
        finally
        {
            _derivations.Release();
        }
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
