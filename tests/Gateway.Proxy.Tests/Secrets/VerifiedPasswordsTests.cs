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
}
