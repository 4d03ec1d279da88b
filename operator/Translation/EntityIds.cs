using System.Security.Cryptography;
using System.Text;

namespace Gateway.Operator.Translation;

/// <summary>
/// Name-based (version 5) UUIDs for the entities translated from Kubernetes objects: the same object always gives
/// the same id, across operator restarts and on every operator replica, so a sync after a restart finds nothing
/// changed. Each Kong entity kind has its own namespace, so a service and an upstream from one key differ.
/// The proxy computes the same kind of id for its declarative files (Declarative/DeterministicIds); the operator
/// does not depend on the proxy, and .NET has no name-based UUIDs, so the dozen lines stand here too.
/// </summary>
public static class EntityIds
{
    /// <summary>RFC 4122's DNS namespace; the root of ours is the project's domain in it.</summary>
    private static readonly Guid DnsNamespace = Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

    public static readonly Guid Root = NameBased(DnsNamespace, "tollgate.dev");

    /// <summary>The id of the <paramref name="kongKind"/> entity (<c>routes</c>, <c>services</c>, …) with this key.</summary>
    public static Guid For(string kongKind, string key) => NameBased(NameBased(Root, kongKind), key);

    /// <summary>RFC 4122 §4.3: SHA-1 over the namespace (network byte order) and the UTF-8 name.</summary>
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
