using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Proxy.Secrets;

/// <summary>
/// How credentials are kept: never in clear. An API key is stored as its SHA-256 (keys are long random tokens, and a
/// request finds its credential by hashing the key it presents); a password is stored as salted PBKDF2, since
/// people choose guessable ones. Hashed values carry a prefix so that storing one again leaves it unchanged
/// (an exported configuration imports back as it was).
/// </summary>
public static class SecretHash
{
    private const string KeyPrefix = "sha256:";
    private const string PasswordPrefix = "pbkdf2-sha256$";
    private const int PasswordIterations = 20_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>
    /// The iteration counts a stored hash may have. Every request that presents a password pays for the count, so a
    /// hash written with, say, 2^31 iterations would make each login burn a core for minutes; below the floor a stolen
    /// hash is cheap to crack (NIST SP 800-132 asks for at least 1,000).
    /// </summary>
    public const int MinPasswordIterations = 1_000;

    public const int MaxPasswordIterations = 1_000_000;

    // Salt and digest sizes a stored hash may have; the digest's size multiplies the cost of checking it too.
    private const int MinPartBytes = 16;
    private const int MaxPartBytes = 64;

    public static bool IsHashedKey(string value) =>
        value.Length == KeyPrefix.Length + 64 && value.StartsWith(KeyPrefix, StringComparison.Ordinal) && IsLowerHex(value.AsSpan(KeyPrefix.Length));

    /// <summary>"sha256:" and 64 hex digits; a value already in that form is returned as it is.</summary>
    public static string HashKey(string key)
    {
        if (IsHashedKey(key)) return key;
        Span<byte> digest = stackalloc byte[KeyDigestBytes];
        KeyDigest(key, digest);
        return KeyPrefix + Convert.ToHexStringLower(digest);
    }

    public const int KeyDigestBytes = 32;

    /// <summary>The digest a presented key is looked up by (its UTF-8 SHA-256), written without allocating for usual keys.</summary>
    public static void KeyDigest(ReadOnlySpan<char> key, Span<byte> digest)
    {
        var byteCount = Encoding.UTF8.GetByteCount(key);
        var bytes = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(key, bytes);
        SHA256.HashData(bytes, digest);
    }

    /// <summary>The digest part of a stored key hash.</summary>
    public static byte[] StoredKeyDigest(string stored) => Convert.FromHexString(stored.AsSpan(KeyPrefix.Length));

    public static bool IsHashedPassword(string value) => TryParsePassword(value, out _, out _, out _);

    /// <summary>"pbkdf2-sha256$iterations$salt$hash" (base64); a value already in that form is returned as it is.</summary>
    public static string HashPassword(string password)
    {
        if (IsHashedPassword(password)) return password;
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, PasswordIterations, HashAlgorithmName.SHA256, HashBytes);
        return PasswordPrefix + PasswordIterations.ToString(CultureInfo.InvariantCulture) + "$" + Convert.ToBase64String(salt) + "$"
               + Convert.ToBase64String(hash);
    }

    /// <summary>
    /// A hash no password matches, of the cost of the hashes written here: checking a password against it costs what
    /// checking a wrong password of a real credential costs.
    /// </summary>
    public static readonly string DecoyPasswordHash = PasswordPrefix + PasswordIterations.ToString(CultureInfo.InvariantCulture) + "$"
        + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SaltBytes)) + "$" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(HashBytes));

    /// <summary>
    /// The schema rule of a password field: a value written in the stored form ("pbkdf2-sha256$…") must be a whole hash
    /// within the cost limits, since it is kept as it is; any other value is a password, to be hashed.
    /// </summary>
    public static string? CheckStoredPassword(string value)
    {
        if (!value.StartsWith(PasswordPrefix, StringComparison.Ordinal) || IsHashedPassword(value)) return null;
        return $"a stored password hash must be '{PasswordPrefix}<iterations>$<salt>$<hash>' with {MinPasswordIterations} to "
               + $"{MaxPasswordIterations} iterations and a base64 salt and hash of {MinPartBytes} to {MaxPartBytes} bytes";
    }

    /// <summary>
    /// Checks a presented password against a stored hash, in time independent of where they differ. A hash outside the
    /// cost limits (written before they existed) matches nothing and costs nothing.
    /// </summary>
    public static bool VerifyPassword(string presented, string stored)
    {
        if (!TryParsePassword(stored, out var iterations, out var salt, out var expected)) return false;
        var actual = Rfc2898DeriveBytes.Pbkdf2(presented, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>A random token for generated keys and secrets: 32 lower-case hex digits, as Kong generates them.</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static bool TryParsePassword(string value, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        if (!value.StartsWith(PasswordPrefix, StringComparison.Ordinal)) return false;
        var parts = value[PasswordPrefix.Length..].Split('$');
        if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            || iterations is < MinPasswordIterations or > MaxPasswordIterations)
            return false;
        try
        {
            salt = Convert.FromBase64String(parts[1]);
            hash = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }
        return salt.Length is >= MinPartBytes and <= MaxPartBytes && hash.Length is >= MinPartBytes and <= MaxPartBytes;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        return true;
    }
}
