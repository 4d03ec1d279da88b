namespace Gateway.Adversarial.Judging;

/// <summary>
/// Follows the hash of the stored configuration along a run: a change seen after a refused request is that
/// request's doing (a violation); after an accepted one it is the new reference.
/// </summary>
public sealed class ConfigWatch(string initialHash)
{
    public string Current { get; private set; } = initialHash;

    /// <summary>Takes the hash read after a request; true when it changed although the request was refused.</summary>
    public bool ChangedByRefused(string hash, bool refused)
    {
        if (hash == Current) return false;
        Current = hash;
        return refused;
    }
}
