using System.Buffers.Text;

namespace Gateway.Proxy.Store.Postgres;

/// <summary>The opaque offset of a listing page: the id of the previous page's last entity, base64url-encoded.</summary>
public static class PageToken
{
    public static string Encode(Guid lastId)
    {
        Span<byte> bytes = stackalloc byte[16];
        lastId.TryWriteBytes(bytes, bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    /// <exception cref="StoreException">InvalidOffset when the token is not one this store produced.</exception>
    public static Guid Decode(string token)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!TryDecode(token, bytes))
            throw new StoreException(StoreErrorKind.InvalidOffset, $"'{token}' is not a valid offset: bad base64 encoding");
        return new Guid(bytes, bigEndian: true);
    }

    // TryDecodeFromChars returns false only when the output does not fit; malformed text throws.
    private static bool TryDecode(string token, Span<byte> bytes)
    {
        try
        {
            return Base64Url.TryDecodeFromChars(token, bytes, out var written) && written == bytes.Length;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
