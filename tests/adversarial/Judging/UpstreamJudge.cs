using System.Globalization;
using Gateway.Adversarial.Generation;
using Gateway.Adversarial.Wire;

namespace Gateway.Adversarial.Judging;

/// <summary>What the judge needs to know of a case it sent: whether it held the valid key, and how to name it.</summary>
public sealed record SentCase(int Index, bool Credentialed, string Description)
{
    public static SentCase Of(ProxyCase sent) => new(sent.Index, sent.Credentialed, sent.ToString());

    public override string ToString() => Description;
}

/// <summary>
/// Judges each request that reached the upstream against what the gateway promises it:
/// <list type="bullet">
/// <item><c>bypass</c>: a request without the valid key whose path any upstream could read as under <c>/admin</c> (<see cref="PathReadings"/>);</item>
/// <item><c>identity-forgery</c>: an identity header (<see cref="ProxyCaseGenerator.IdentityHeaders"/>, <c>X-Authenticated-*</c>) with a value the client sent;</item>
/// <item><c>forwarded-forgery</c>: forwarded headers other than the gateway's own view of an untrusted loopback client
/// (<c>X-Real-IP</c> and the last <c>X-Forwarded-For</c> entry are the peer, proto <c>http</c>, port the proxy's, no forged host or prefix);</item>
/// <item><c>smuggled</c>: the request hidden in another's body, <c>unattributed</c>: a request no case sent as itself,
/// <c>ambiguous-framing</c>: a message the upstream could not frame unambiguously.</item>
/// </list>
/// </summary>
public sealed class UpstreamJudge(int proxyPort, Func<int, SentCase?> caseOf, Findings findings)
{
    public const string Bypass = "bypass";
    public const string IdentityForgery = "identity-forgery";
    public const string ForwardedForgery = "forwarded-forgery";
    public const string Smuggled = "smuggled";
    public const string Unattributed = "unattributed";
    public const string AmbiguousFraming = "ambiguous-framing";
    public const string Duplicated = "duplicated";

    public static readonly IReadOnlyList<string> Violations =
        [Bypass, IdentityForgery, ForwardedForgery, Smuggled, Unattributed, AmbiguousFraming, Duplicated];

    private const string Peer = "127.0.0.1";

    private readonly Dictionary<int, int> _arrivals = [];

    public void Judge(RecordedRequest request)
    {
        findings.Count("upstream-requests");
        var head = request.Head;
        var index = request.RawHead is { } raw ? CaseIndexIn(raw) : CaseIndex(head);
        var sent = index is { } i ? caseOf(i) : null;
        var said = $"{sent?.ToString() ?? "no case"} => upstream received {WireText.Printable(WireText.Bytes(request.RawHead ?? request.RequestLine), 300)}";

        if (request.FramingError is { } error && !request.Truncated) findings.Record(AmbiguousFraming, $"{said} ({error})");
        var smuggled = request.RawHead?.Contains(ProxyFixture.SmuggledHeader + ":", StringComparison.OrdinalIgnoreCase)
            ?? head.Value(ProxyFixture.SmuggledHeader) is not null;
        if (smuggled) findings.Record(Smuggled, said);
        if (sent is null) findings.Record(Unattributed, said);
        else if (Arrived(sent.Index) == 2) findings.Record(Duplicated, said);

        if (sent is not { Credentialed: true } && PathReadings.ReachesPrefix(request.Target, ProxyFixture.GuardedPrefix))
            findings.Record(Bypass, said);
        foreach (var (name, value) in head.Headers)
        {
            if (IsIdentityHeader(name) && value.Contains(ProxyFixture.ForgedMark, StringComparison.OrdinalIgnoreCase))
                findings.Record(IdentityForgery, $"{said} with {name}: {value}");
            if (!IsGatewayForwardedValue(name, value))
                findings.Record(ForwardedForgery, $"{said} with {name}: {value}");
        }
    }

    public static bool IsIdentityHeader(string name) =>
        ProxyCaseGenerator.IdentityHeaders.Contains(name, StringComparer.OrdinalIgnoreCase)
        || name.StartsWith("X-Authenticated-", StringComparison.OrdinalIgnoreCase);

    /// <summary>False for a forwarded header whose value is not what the gateway itself knows about an untrusted client.</summary>
    public bool IsGatewayForwardedValue(string name, string value) => name.ToLowerInvariant() switch
    {
        "x-real-ip" => value == Peer,
        "x-forwarded-for" => value.Split(',')[^1].Trim() == Peer,
        "x-forwarded-proto" => value == "http",
        "x-forwarded-port" => value == proxyPort.ToString(CultureInfo.InvariantCulture),
        "x-forwarded-host" or "x-forwarded-prefix" => !value.Contains(ProxyFixture.ForgedMark, StringComparison.OrdinalIgnoreCase),
        _ => true,
    };

    private int Arrived(int index)
    {
        lock (_arrivals)
        {
            _arrivals[index] = _arrivals.GetValueOrDefault(index) + 1;
            return _arrivals[index];
        }
    }

    // An unreadable head is searched for the case header as text.
    private static int? CaseIndexIn(string raw) =>
        CaseHeaderPattern.Match(raw) is { Success: true } match && int.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out var i) ? i : null;

    private static readonly System.Text.RegularExpressions.Regex CaseHeaderPattern =
        new($"{ProxyFixture.CaseHeader}: *([0-9]+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    private static int? CaseIndex(HttpHead head) =>
        head.Values(ProxyFixture.CaseHeader).Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : (int?)null)
            .FirstOrDefault(i => i is not null);
}
