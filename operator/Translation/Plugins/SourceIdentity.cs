using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Operator.Translation.Plugins;

/// <summary>
/// The identity the operator gives the entities it makes from a source object: ids that stay the same across runs
/// and operator restarts (name-based UUIDs, RFC 9562 version 5), and tags naming the source object and the
/// gateway whose operator owns them.
/// </summary>
public static class SourceIdentity
{
    // The namespace of every id the operator derives.
    static readonly Guid Namespace = new("6f1b3c1e-8f7a-5b1e-9d55-7a0c2b8e4d10");

    /// <summary>A name-based UUID for <paramref name="name"/>: the same name, the same id.</summary>
    public static string Id(string name)
    {
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetByteCount(name)];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input[16..]);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true).ToString();
    }

    /// <summary>The tags of an entity made from a source object, the owner's selecting tag first.</summary>
    public static JsonArray Tags(string ownerTag, string kind, string? ns, string name, string? uid)
    {
        var tags = new JsonArray(ownerTag, $"k8s-kind:{kind}");
        if (ns is not null)
            tags.Add($"k8s-namespace:{ns}");
        tags.Add($"k8s-name:{name}");
        if (uid is not null)
            tags.Add($"k8s-uid:{uid}");
        return tags;
    }
}
