using Gateway.Proxy.Secrets;

namespace Gateway.Proxy.Tests.Secrets;

public sealed class VerifiedPasswordsTests
{
    private static readonly string Stored = SecretHash.HashPassword("OpenSesame");

    [Fact]
    public async Task The_right_password_passes_every_time_and_a_wrong_one_never()
    {
        var passwords = new VerifiedPasswords();
        var credential = Guid.NewGuid();

        Assert.False(await passwords.VerifyAsync(credential, "wrong", Stored));
        Assert.True(await passwords.VerifyAsync(credential, "OpenSesame", Stored));
        Assert.True(await passwords.VerifyAsync(credential, "OpenSesame", Stored));
        Assert.False(await passwords.VerifyAsync(credential, "OpenSesamE", Stored));
        Assert.False(await passwords.VerifyAsync(credential, "", Stored));
    }

    [Fact]
    public async Task A_password_remembered_for_one_credential_does_not_open_another()
    {
        var passwords = new VerifiedPasswords();
        var other = SecretHash.HashPassword("Different");

        Assert.True(await passwords.VerifyAsync(Guid.NewGuid(), "OpenSesame", Stored));
        Assert.False(await passwords.VerifyAsync(Guid.NewGuid(), "OpenSesame", other));
    }

    [Fact]
    public async Task Long_and_non_ascii_passwords_work()
    {
        var passwords = new VerifiedPasswords();
        var longPassword = new string('p', 1000) + "é";
        var stored = SecretHash.HashPassword(longPassword);
        var credential = Guid.NewGuid();

        Assert.True(await passwords.VerifyAsync(credential, longPassword, stored));
        Assert.True(await passwords.VerifyAsync(credential, longPassword, stored));
        Assert.False(await passwords.VerifyAsync(credential, longPassword[..^1] + "e", stored));
    }

    [Fact]
    public async Task An_unknown_username_costs_the_check_a_wrong_password_costs()
    {
        var checkedHashes = new List<string>();
        var passwords = new VerifiedPasswords((presented, stored) =>
        {
            checkedHashes.Add(stored);
            return SecretHash.VerifyPassword(presented, stored);
        });

        Assert.False(await passwords.VerifyAsync(Guid.NewGuid(), "wrong", Stored));
        Assert.False(await passwords.VerifyAsync(null, "OpenSesame", null));

        Assert.Equal(2, checkedHashes.Count);
        Assert.Equal(Iterations(Stored), Iterations(checkedHashes[1]));
        Assert.StartsWith("pbkdf2-sha256$", checkedHashes[1]);
    }

    [Fact]
    public async Task No_password_passes_for_an_unknown_username()
    {
        var passwords = new VerifiedPasswords();

        Assert.False(await passwords.VerifyAsync(null, "", null));
        Assert.False(await passwords.VerifyAsync(null, "OpenSesame", null));
        Assert.False(SecretHash.VerifyPassword("", SecretHash.DecoyPasswordHash));
    }

    [Fact]
    public async Task No_more_derivations_run_at_once_than_the_bound_allows()
    {
        using var bound = new SemaphoreSlim(2);
        using var release = new ManualResetEventSlim();
        var running = 0;
        var most = 0;
        var passwords = new VerifiedPasswords((_, _) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            release.Wait();
            Interlocked.Decrement(ref running);
            return false;
        }, bound);

        var checks = Enumerable.Range(0, 6).Select(i => Task.Run(async () => await passwords.VerifyAsync(i % 2 == 0 ? null : Guid.NewGuid(), "x", Stored))).ToArray();
        while (Volatile.Read(ref running) < 2) await Task.Delay(5);
        Assert.Equal(0, bound.CurrentCount);
        release.Set();
        await Task.WhenAll(checks);

        Assert.Equal(2, most);
        Assert.Equal(2, bound.CurrentCount);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static string Iterations(string hash) => hash.Split('$')[1];
}
