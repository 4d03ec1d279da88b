namespace Gateway.Adversarial.Generation;

/// <summary>
/// One hostile proxy request, as the bytes to send (in one part, or several with pauses for a slow client).
/// <paramref name="Credentialed"/>: it carries the consumer's valid key, so it may reach the guarded path.
/// <paramref name="Incomplete"/>: it is deliberately never finished, so no answer is due.
/// <paramref name="WatchForMore"/>: the bytes hold what could be read as a second request; responses to it are counted.
/// </summary>
public sealed record ProxyCase(int Index, string Class, IReadOnlyList<WirePart> Parts, bool Credentialed,
    bool Incomplete = false, bool WatchForMore = false, bool IsHead = false)
{
    public byte[] Bytes => Parts.SelectMany(p => p.Bytes).ToArray();

    /// <summary>How long the client waits for an answer: a stalled request is given up quickly.</summary>
    public TimeSpan AnswerTimeout => Incomplete ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(10);

    public override string ToString() => Describe(400);

    /// <summary>The case with its bytes printable, cut at <paramref name="max"/> characters.</summary>
    public string Describe(int max) => $"case {Index} [{Class}] {WireText.Printable(Bytes, max)}";
}
