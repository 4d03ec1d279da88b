using System.Buffers.Text;

namespace Gateway.Proxy.Store;

/// <summary>
/// The opaque offset of a listing: the id of the last entity of the previous page (its 16 bytes in network
/// order), base64url-encoded; both stores hand out the same tokens. The next page starts after that
/// id, so paging stays consistent even when the configuration is replaced meanwhile.
/// </summary>
public static class OffsetToken
{
    public static string Encode(Guid lastId)
    {
        Span<byte> bytes = stackalloc byte[16];
        lastId.TryWriteBytes(bytes, bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The id in <paramref name="token"/>; a token that is not one raises <see cref="StoreException"/> (InvalidOffset).</summary>
    public static Guid Decode(string token)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            throw Invalid(token);
        }
        if (bytes.Length != 16) throw Invalid(token);
        return new Guid(bytes, bigEndian: true);
    }

    private static StoreException Invalid(string token) =>
        new(StoreErrorKind.InvalidOffset, $"'{token}' is not a valid offset: bad base64 encoding");
}
