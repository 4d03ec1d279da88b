using System.Security.Cryptography;
using System.Text;

namespace Gateway.Proxy.Declarative;

/// <summary>
/// Name-based (version 5, SHA-1) UUIDs, so that loading the same file twice gives every entity the same id.
/// Like Kong, each entity kind gets its own namespace derived from one fixed root namespace, so a service
/// named "foo" gets the id Kong would give it.
/// </summary>
public static class DeterministicIds
{
    /// <summary>The root namespace Kong's declarative loader uses.</summary>
    public static readonly Guid RootNamespace = Guid.Parse("fd02801f-0957-4a15-a55a-c8d9606f30b5");

    public static Guid For(string kind, string name) => NameBased(NameBased(RootNamespace, kind), name);

    /// <summary>RFC 4122 §4.3: SHA-1 over the namespace bytes (network order) and the UTF-8 name.</summary>
    public static Guid NameBased(Guid ns, string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        ns.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);
        var hash = SHA1.HashData(input);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
