using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Gateway.Proxy.Snapshots;

/// <summary>
/// Files that only the gateway's own user may read: a directory of mode 0700 and files of mode 0600, both
/// owned by the process's user. The last-good cache holds keys, secrets and certificate keys, so it lives
/// only in such a place. An existing directory is never loosened or tightened: one that others can reach
/// (or that another user owns) is refused, because whoever could enter it may already have planted files.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupAndOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates the directory (0700) when it is missing; throws <see cref="IOException"/> naming it when it is not private.</summary>
    public static void EnsureDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else if (!Directory.Exists(directory)) Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        if (DirectoryProblem(directory) is { } problem) throw new IOException(problem);
    }

    /// <summary>Why <paramref name="directory"/> is not private to this user; null when it is.</summary>
    public static string? DirectoryProblem(string directory)
    {
        if (OperatingSystem.IsWindows()) return null;
        var mode = File.GetUnixFileMode(directory);
        if ((mode & GroupAndOther) != 0)
            return $"the directory {directory} is open to other users (mode {Octal(mode)}); it must be 0700";
        return OwnerProblem(directory, "directory");
    }

    /// <summary>Why the file at <paramref name="path"/> must not be trusted or read; null when it is private to this user.</summary>
    public static string? FileProblem(string path)
    {
        if (OperatingSystem.IsWindows()) return null;
        if (new FileInfo(path).LinkTarget is not null)
            return $"the file {path} is a symbolic link";
        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupAndOther) != 0)
            return $"the file {path} is readable or writable by other users (mode {Octal(mode)}); it must be 0600";
        return OwnerProblem(path, "file");
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="content"/> in one step: the bytes go to a new
    /// file of mode 0600 under an unpredictable name in the same directory, created exclusively (an existing
    /// file or symbolic link there is never opened, let alone followed), flushed to disk, then renamed over
    /// <paramref name="path"/>. Readers see the old file or the new one, never a part.
    /// </summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content) => WriteAtomically(path, content, TemporaryPath(path));

    /// <summary>A name beside <paramref name="path"/> that nobody can guess in advance.</summary>
    internal static string TemporaryPath(string path) => $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}.tmp";

    internal static void WriteAtomically(string path, ReadOnlySpan<byte> content, string temporary)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
        var stream = new FileStream(temporary, options);
        try
        {
            using (stream)
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            // Only the file this call created is removed; a failed exclusive create touches nothing.
            File.Delete(temporary);
            throw;
        }
    }

    private static string? OwnerProblem(string path, string what)
    {
        var owner = UnixOwner.Of(path);
        var self = UnixOwner.Self;
        return owner is null || owner == self ? null : $"the {what} {path} belongs to user {owner}, not to this process's user {self}";
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0b111_111_111, 8).PadLeft(3, '0');

    /// <summary>
    /// File owners as Linux reports them (statx, whose layout is the same on every architecture). .NET has no
    /// managed API for a file's owner; where the call is not available the owner is unknown (null) and only
    /// the mode is checked.
    /// </summary>
    private static class UnixOwner
    {
        private const int CurrentDirectory = -100; // AT_FDCWD
        private const uint UidField = 0x8;         // STATX_UID
        private const int UidOffset = 20;          // struct statx: mask, blksize, attributes (u64), nlink, then uid
        private const int NotPermitted = 1;        // EPERM
        private const int NoSuchCall = 38;         // ENOSYS

        public static uint Self => GetEffectiveUserId();

        public static uint? Of(string path)
        {
            if (!OperatingSystem.IsLinux()) return null;
            var buffer = new byte[256];
            try
            {
                var utf8Path = System.Text.Encoding.UTF8.GetBytes(path + "\0");
                if (Statx(CurrentDirectory, utf8Path, 0, UidField, buffer) != 0)
                {
                    // A kernel without statx, or a seccomp profile that refuses it: the owner is unknown.
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno is NoSuchCall or NotPermitted) return null;
                    throw new IOException($"cannot read the owner of {path} (errno {errno})");
                }
            }
            catch (EntryPointNotFoundException)
            {
                return null;
            }
            return BitConverter.ToUInt32(buffer, UidOffset);
        }

        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        private static extern int Statx(int directoryFd, byte[] path, int flags, uint mask, byte[] buffer);

        [DllImport("libc", EntryPoint = "geteuid")]
        private static extern uint GetEffectiveUserId();
    }
}
