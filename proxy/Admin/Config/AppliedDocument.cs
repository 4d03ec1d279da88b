using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Gateway.Proxy.Admin.Config;

/// <summary>
/// Kong's <c>check_hash</c> for scoped documents: the hash of the last one this node applied (or found applied) and
/// the version of the stored configuration it left. While the store is still at that version, posting the same
/// document again would change nothing, so it can be answered 304 without being read again. Every write bumps the
/// version, so a change made since, through this node or another, sends the document through the whole import.
/// </summary>
public sealed class AppliedDocument
{
    private volatile Applied? _last;

    /// <summary>
    /// The hash of the document's text as it was posted: the same text is the same document, without writing the
    /// parsed document out again. (Another spelling of the same document only costs one full import.)
    /// </summary>
    public static byte[] Hash(string text) => SHA256.HashData(MemoryMarshal.AsBytes(text.AsSpan()));

    /// <summary>Whether the document with <paramref name="hash"/> is the one applied at <paramref name="version"/>.</summary>
    public bool IsApplied(byte[] hash, long version) =>
        _last is { } last && last.Version == version && last.Hash.AsSpan().SequenceEqual(hash);

    public void Remember(byte[] hash, long version) => _last = new Applied(hash, version);

    private sealed record Applied(byte[] Hash, long Version);
}
