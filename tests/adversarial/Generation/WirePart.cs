namespace Gateway.Adversarial.Generation;

/// <summary>Bytes to write after a pause: a request is one part, a slow one several.</summary>
public sealed record WirePart(byte[] Bytes, int DelayMs = 0);
