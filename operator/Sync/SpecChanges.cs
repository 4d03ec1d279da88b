using System.Collections.Concurrent;
using Gateway.Operator.Runtime;

namespace Gateway.Operator.Sync;

/// <summary>
/// Tells a change that can alter a configuration from one that only touched an object's status. The sync writes the
/// status of the objects it reads (their conditions, an Ingress's addresses, the gateway's summary); each such write
/// comes back as a watch event, which must not cost another translation of the whole cluster. What a translation
/// reads of these objects is their spec (generation), labels and annotations.
/// </summary>
public sealed class SpecChanges
{
    readonly ConcurrentDictionary<string, string> seen = new();

    /// <summary>True unless the object is known and only its status (or other unread metadata) changed.</summary>
    public bool Matters(string kind, WatchEventType type, IKubernetesObject<V1ObjectMeta> obj)
    {
        var key = $"{kind}/{ObjectKey.Of(obj)}";
        if (type == WatchEventType.Deleted)
        {
            seen.TryRemove(key, out _);
            return true;
        }
        var fingerprint = Fingerprint(obj.Metadata);
        var known = seen.TryGetValue(key, out var before) && before == fingerprint;
        seen[key] = fingerprint;
        return !known;
    }

    static string Fingerprint(V1ObjectMeta meta) => string.Join('\n',
        meta.Generation?.ToString() ?? "",
        meta.DeletionTimestamp?.ToString("O") ?? "",
        Pairs(meta.Labels),
        Pairs(meta.Annotations));

    static string Pairs(IDictionary<string, string>? pairs) =>
        pairs is null ? "" : string.Join('\u001f', pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
