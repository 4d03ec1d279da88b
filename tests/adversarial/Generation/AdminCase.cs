namespace Gateway.Adversarial.Generation;

/// <summary>
/// One malformed Admin API request. <paramref name="MustRefuse"/> marks input the Admin API has to turn down
/// with a 4xx whatever else it does (invalid JSON, a value of the wrong type, a NUL, a cross-site write …);
/// every other case only has to avoid a 5xx and leave the configuration alone when it is refused.
/// </summary>
public sealed record AdminCase(int Index, string Class, string Method, string Target, byte[] Bytes, bool MustRefuse)
{
    /// <summary>Whether the request may change the configuration (anything but GET and HEAD).</summary>
    public bool IsWrite => Method is not ("GET" or "HEAD");

    public override string ToString() => Describe(400);

    /// <summary>The case with its bytes printable, cut at <paramref name="max"/> characters.</summary>
    public string Describe(int max) => $"case {Index} [{Class}] {WireText.Printable(Bytes, max)}";
}
