using Gateway.Proxy.Secrets;

namespace Gateway.Proxy.Tests.Secrets;

public sealed class VerifiedPasswordsTests
{
    private static readonly string Stored = SecretHash.HashPassword("OpenSesame");

    [Fact]
    public void The_right_password_passes_every_time_and_a_wrong_one_never()
    {
        var passwords = new VerifiedPasswords();
        var credential = Guid.NewGuid();

        Assert.False(passwords.Verify(credential, "wrong", Stored));
        Assert.True(passwords.Verify(credential, "OpenSesame", Stored));
        Assert.True(passwords.Verify(credential, "OpenSesame", Stored));
        Assert.False(passwords.Verify(credential, "OpenSesamE", Stored));
        Assert.False(passwords.Verify(credential, "", Stored));
    }

    [Fact]
    public void A_password_remembered_for_one_credential_does_not_open_another()
    {
        var passwords = new VerifiedPasswords();
        var other = SecretHash.HashPassword("Different");

        Assert.True(passwords.Verify(Guid.NewGuid(), "OpenSesame", Stored));
        Assert.False(passwords.Verify(Guid.NewGuid(), "OpenSesame", other));
    }

    [Fact]
    public void Long_and_non_ascii_passwords_work()
    {
        var passwords = new VerifiedPasswords();
        var longPassword = new string('p', 1000) + "é";
        var stored = SecretHash.HashPassword(longPassword);
        var credential = Guid.NewGuid();

        Assert.True(passwords.Verify(credential, longPassword, stored));
        Assert.True(passwords.Verify(credential, longPassword, stored));
        Assert.False(passwords.Verify(credential, longPassword[..^1] + "e", stored));
    }

    [Fact]
    public void An_unknown_username_costs_the_check_a_wrong_password_costs()
    {
        var checkedHashes = new List<string>();
        var passwords = new VerifiedPasswords((presented, stored) =>
        {
            checkedHashes.Add(stored);
            return SecretHash.VerifyPassword(presented, stored);
        });

        Assert.False(passwords.Verify(Guid.NewGuid(), "wrong", Stored));
        Assert.False(passwords.Verify(null, "OpenSesame", null));

        Assert.Equal(2, checkedHashes.Count);
        Assert.Equal(Iterations(Stored), Iterations(checkedHashes[1]));
        Assert.StartsWith("pbkdf2-sha256$", checkedHashes[1]);
    }

    [Fact]
    public void No_password_passes_for_an_unknown_username()
    {
        var passwords = new VerifiedPasswords();

        Assert.False(passwords.Verify(null, "", null));
        Assert.False(passwords.Verify(null, "OpenSesame", null));
        Assert.False(SecretHash.VerifyPassword("", SecretHash.DecoyPasswordHash));
    }

    private static string Iterations(string hash) => hash.Split('$')[1];
}
