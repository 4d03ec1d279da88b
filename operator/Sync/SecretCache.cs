using Gateway.Operator.Kubernetes;

namespace Gateway.Operator.Sync;

/// <summary>
/// The Secrets a configuration names, read by name (the operator may get a Secret it knows the name of, never list or
/// watch them all). A Secret read is trusted for <see cref="Refresh"/>; one found missing is looked for again after
/// <see cref="MissingRecheck"/>, so a consumer applied before its credential Secret is served soon after the Secret.
/// </summary>
public sealed class SecretCache(IKubernetesClient client, TimeProvider clock)
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MissingRecheck = TimeSpan.FromSeconds(2);

    readonly Dictionary<(string Namespace, string Name), (V1Secret? Secret, DateTimeOffset At)> known = [];

    /// <summary>True when a Secret of the last read does not exist (yet).</summary>
    public bool AnyMissing { get; private set; }

    /// <summary>The named Secrets that exist, read again where the last read is too old.</summary>
    public async Task<IReadOnlyList<V1Secret>> ReadAsync(IReadOnlySet<(string Namespace, string Name)> names, CancellationToken cancel)
    {
        var now = clock.GetUtcNow();
        foreach (var stale in known.Keys.Where(k => !names.Contains(k)).ToList())
            known.Remove(stale);
        var due = names.Where(n => !known.TryGetValue(n, out var entry) || now - entry.At >= (entry.Secret is null ? MissingRecheck : Refresh)).ToList();
        var read = await Task.WhenAll(due.Select(async name => (name, await client.GetAsync<V1Secret>(name.Name, name.Namespace, cancel))));
        foreach (var (name, secret) in read)
            known[name] = (secret, now);
        AnyMissing = names.Any(n => known[n].Secret is null);
        return [.. names.Select(n => known[n].Secret).OfType<V1Secret>()];
    }
}
