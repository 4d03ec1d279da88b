using System.Diagnostics;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Snapshots;

namespace Gateway.Proxy.Tests.Snapshots;

/// <summary>The last-good cache on real files: private modes, atomic replacement, and refusal of anything others can reach.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LastGoodCacheTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly string _root = Directory.CreateTempSubdirectory("tollgate-cache-test-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static ConfigData Config(long version) => ConfigData.From(version,
        [new Service { Id = Guid.NewGuid(), Name = $"s{version}", Host = "example.com", CreatedAt = 1, UpdatedAt = 1 }]);

    private string NewDirectory(UnixFileMode mode)
    {
        var directory = Path.Combine(_root, "cache");
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, mode);
        return directory;
    }

    [Fact]
    public void The_first_save_creates_a_0700_directory_and_a_0600_file_that_loads_back()
    {
        var directory = Path.Combine(_root, "state", "tollgate");
        var cache = new LastGoodCache(directory);

        cache.Save(Config(7));

        Assert.Equal(Private, File.GetUnixFileMode(directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cache.FilePath));
        var loaded = cache.TryLoad(out var problem);
        Assert.Null(problem);
        Assert.Equal(7, loaded!.Version);
        Assert.Equal("s7", Assert.Single(loaded.All<Service>()).Name);
    }

    [Fact]
    public void A_save_replaces_the_file_in_one_step_and_leaves_no_temporary_file()
    {
        var cache = new LastGoodCache(NewDirectory(Private));
        cache.Save(Config(1));
        var before = File.ReadAllText(cache.FilePath);

        // A reader that opened the old file keeps reading all of it: the new one is renamed over it, not written into it.
        using var reader = new FileStream(cache.FilePath, FileMode.Open, FileAccess.Read);
        cache.Save(Config(2));

        using (var old = new StreamReader(reader)) Assert.Equal(before, old.ReadToEnd());
        Assert.Equal(2, cache.TryLoad(out _)!.Version);
        Assert.Equal([cache.FilePath], Directory.GetFiles(Path.GetDirectoryName(cache.FilePath)!));
    }

    [Fact]
    public void A_symbolic_link_or_file_already_at_the_temporary_path_is_neither_followed_nor_overwritten()
    {
        var directory = NewDirectory(Private);
        var target = Path.Combine(directory, "config-cache.json");
        var victim = Path.Combine(_root, "victim");
        File.WriteAllText(victim, "untouched");
        var planted = PrivateFiles.TemporaryPath(target);
        File.CreateSymbolicLink(planted, victim);

        Assert.ThrowsAny<IOException>(() => PrivateFiles.WriteAtomically(target, "secret"u8, planted));

        Assert.Equal("untouched", File.ReadAllText(victim));
        Assert.Equal(victim, new FileInfo(planted).LinkTarget);
        Assert.False(File.Exists(target));

        var file = PrivateFiles.TemporaryPath(target);
        File.WriteAllText(file, "someone else's");
        Assert.ThrowsAny<IOException>(() => PrivateFiles.WriteAtomically(target, "secret"u8, file));
        Assert.Equal("someone else's", File.ReadAllText(file));
    }

    [Fact]
    public void Temporary_names_are_unpredictable_and_a_leftover_temporary_file_does_not_block_the_next_save()
    {
        var directory = NewDirectory(Private);
        var cache = new LastGoodCache(directory);
        var first = PrivateFiles.TemporaryPath(cache.FilePath);
        var second = PrivateFiles.TemporaryPath(cache.FilePath);
        Assert.NotEqual(first, second);
        Assert.Equal(directory, Path.GetDirectoryName(first));

        // What a process killed half-way through a write leaves behind.
        File.WriteAllText(first, "{\"version\":");
        cache.Save(Config(3));

        Assert.Equal(3, cache.TryLoad(out _)!.Version);
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, "0755")]
    [InlineData(UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute, "0770")]
    [InlineData(UnixFileMode.OtherExecute, "0701")]
    public void A_directory_open_to_other_users_is_refused_and_left_as_it_is(UnixFileMode extra, string shown)
    {
        var directory = NewDirectory(Private | extra);
        var cache = new LastGoodCache(directory);

        var refused = Assert.ThrowsAny<IOException>(() => cache.Save(Config(1)));

        Assert.Contains(directory, refused.Message);
        Assert.Contains(shown, refused.Message);
        Assert.Empty(Directory.GetFiles(directory));
        Assert.Equal(Private | extra, File.GetUnixFileMode(directory));
    }

    [Fact]
    public void A_cache_in_a_directory_that_became_open_to_others_is_not_read()
    {
        var directory = NewDirectory(Private);
        var cache = new LastGoodCache(directory);
        cache.Save(Config(1));
        File.SetUnixFileMode(directory, Private | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        Assert.Null(cache.TryLoad(out var problem));

        Assert.Contains($"the directory {directory} is open to other users (mode 0705)", problem);
    }

    [Fact]
    public void A_cache_file_readable_by_others_is_not_read()
    {
        var cache = new LastGoodCache(NewDirectory(Private));
        cache.Save(Config(1));
        File.SetUnixFileMode(cache.FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        Assert.Null(cache.TryLoad(out var problem));

        Assert.Contains($"the file {cache.FilePath} is readable or writable by other users (mode 0604)", problem);
    }

    [Fact]
    public void A_cache_file_that_is_a_symbolic_link_is_not_read()
    {
        var directory = NewDirectory(Private);
        var elsewhere = new LastGoodCache(Path.Combine(_root, "elsewhere"));
        elsewhere.Save(Config(1));
        var cache = new LastGoodCache(directory);
        File.CreateSymbolicLink(cache.FilePath, elsewhere.FilePath);

        Assert.Null(cache.TryLoad(out var problem));

        Assert.Contains("is a symbolic link", problem);
    }

    [Fact]
    public void A_directory_or_file_owned_by_another_user_is_refused()
    {
        var directory = NewDirectory(Private);
        var cache = new LastGoodCache(directory);
        cache.Save(Config(1));
        ChangeOwner(cache.FilePath, "65534");

        Assert.Null(cache.TryLoad(out var fileProblem));
        Assert.Contains($"the file {cache.FilePath} belongs to user 65534", fileProblem);

        ChangeOwner(directory, "65534");
        var refused = Assert.ThrowsAny<IOException>(() => cache.Save(Config(2)));
        Assert.Contains($"the directory {directory} belongs to user 65534", refused.Message);
    }

    // Only root can give a file away; the test suite runs as root (as CI does).
    private static void ChangeOwner(string path, string user)
    {
        using var chown = Process.Start(new ProcessStartInfo("chown", [user, path]) { RedirectStandardError = true })!;
        var error = chown.StandardError.ReadToEnd();
        chown.WaitForExit();
        Assert.True(chown.ExitCode == 0, $"chown {user} {path} failed (this test needs root): {error}");
    }
}
