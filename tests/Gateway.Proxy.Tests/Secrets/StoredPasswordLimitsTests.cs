using Gateway.Proxy.Secrets;

namespace Gateway.Proxy.Tests.Secrets;

/// <summary>Hashes written as they are stored must be within the cost limits, since every login pays for them.</summary>
public sealed class StoredPasswordLimitsTests
{
    private static readonly string Salt = Convert.ToBase64String(new byte[16]);
    private static readonly string Hash = Convert.ToBase64String(new byte[32]);

    public static TheoryData<string, bool> Values => new()
    {
        { "OpenSesame", true },
        { "pbkdf2 is my password", true },
        { $"pbkdf2-sha256$1000${Salt}${Hash}", true },
        { $"pbkdf2-sha256$20000${Salt}${Hash}", true },
        { $"pbkdf2-sha256$1000000${Salt}${Hash}", true },
        { $"pbkdf2-sha256$1000001${Salt}${Hash}", false },
        { $"pbkdf2-sha256$2147483647${Salt}${Hash}", false },
        { $"pbkdf2-sha256$99999999999${Salt}${Hash}", false },
        { $"pbkdf2-sha256$999${Salt}${Hash}", false },
        { $"pbkdf2-sha256$0${Salt}${Hash}", false },
        { $"pbkdf2-sha256$-5${Salt}${Hash}", false },
        { $"pbkdf2-sha256$20000${Convert.ToBase64String(new byte[8])}${Hash}", false },
        { $"pbkdf2-sha256$20000${Salt}${Convert.ToBase64String(new byte[65])}", false },
        { $"pbkdf2-sha256$20000${Salt}$not base64!", false },
        { "pbkdf2-sha256$20000", false },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void A_stored_hash_is_accepted_only_within_the_limits(string value, bool accepted)
    {
        var problem = SecretHash.CheckStoredPassword(value);

        Assert.Equal(accepted, problem is null);
        if (!accepted) Assert.Contains("1000 to 1000000 iterations", problem);
    }

    [Fact]
    public void A_hash_over_the_cap_that_reached_a_store_anyway_matches_nothing()
    {
        var salt = new byte[16];
        var hash = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2("pw", salt, 1_000_001,
            System.Security.Cryptography.HashAlgorithmName.SHA256, 32);
        var stored = $"pbkdf2-sha256$1000001${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";

        Assert.False(SecretHash.VerifyPassword("pw", stored));
        Assert.True(SecretHash.VerifyPassword("pw", SecretHash.HashPassword("pw")));
    }
}
