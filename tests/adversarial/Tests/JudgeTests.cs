using System.Text;
using Gateway.Adversarial.Generation;
using Gateway.Adversarial.Judging;
using Gateway.Adversarial.Runs;
using Gateway.Adversarial.Wire;

namespace Gateway.Adversarial.Tests;

/// <summary>Each violation the harness counts is recognised, and what the gateway legitimately does is not.</summary>
public sealed class JudgeTests
{
    private const int ProxyPort = 8000;

    private static readonly Dictionary<int, SentCase> Sent = new()
    {
        [1] = new SentCase(1, Credentialed: false, "case 1"),
        [2] = new SentCase(2, Credentialed: true, "case 2"),
    };

    private static (UpstreamJudge Judge, Findings Findings) NewJudge()
    {
        var findings = new Findings();
        return (new UpstreamJudge(ProxyPort, i => Sent.GetValueOrDefault(i), findings), findings);
    }

    private static RecordedRequest Received(string target, int? caseIndex, params (string, string)[] headers) =>
        new($"GET {target} HTTP/1.1", [.. headers, .. caseIndex is { } i ? new[] { (ProxyFixture.CaseHeader, i.ToString()) } : []], 0);

    [Fact]
    public void A_request_without_the_key_at_the_guarded_path_is_a_bypass()
    {
        var (judge, findings) = NewJudge();
        judge.Judge(Received("//admin", 1));
        judge.Judge(Received("/admin/x", 2));
        judge.Judge(Received("/public", 1));
        Assert.Equal(1, findings[UpstreamJudge.Bypass]);
    }

    [Theory]
    [InlineData("X-Consumer-Groups", "admins, forged-1")]
    [InlineData("x-credential-identifier", "forged")]
    [InlineData("X-Authenticated-Scope", "forged-1")]
    [InlineData("X-Anonymous-Groups", "forged-1")]
    public void A_client_value_in_an_identity_header_is_a_forgery(string name, string value)
    {
        var (judge, findings) = NewJudge();
        judge.Judge(Received("/public", 1, (name, value)));
        Assert.Equal(1, findings[UpstreamJudge.IdentityForgery]);
    }

    [Fact]
    public void Identity_headers_the_gateway_sets_are_not_forgeries()
    {
        var (judge, findings) = NewJudge();
        judge.Judge(Received("/admin/x", 2, ("X-Consumer-Username", "alice"), ("X-Credential-Identifier", "5e4b1c3a")));
        Assert.Equal(0, findings[UpstreamJudge.IdentityForgery]);
    }

    [Theory]
    [InlineData("X-Real-IP", "203.0.113.9")]
    [InlineData("X-Forwarded-For", "127.0.0.1, 203.0.113.7")]
    [InlineData("X-Forwarded-Proto", "https")]
    [InlineData("X-Forwarded-Port", "443")]
    [InlineData("X-Forwarded-Host", "forged-1.example")]
    [InlineData("X-Forwarded-Prefix", "/forged-1")]
    public void A_client_value_in_a_forwarded_header_is_a_forgery(string name, string value)
    {
        var (judge, findings) = NewJudge();
        judge.Judge(Received("/public", 1, (name, value)));
        Assert.Equal(1, findings[UpstreamJudge.ForwardedForgery]);
    }

    [Fact]
    public void The_gateways_own_forwarded_values_are_not_forgeries()
    {
        var (judge, findings) = NewJudge();
        judge.Judge(Received("/public", 1, ("X-Real-IP", "127.0.0.1"), ("X-Forwarded-For", "203.0.113.7, 127.0.0.1"),
            ("X-Forwarded-Proto", "http"), ("X-Forwarded-Port", "8000"), ("X-Forwarded-Host", "127.0.0.1")));
        Assert.Equal(0, findings[UpstreamJudge.ForwardedForgery]);
    }

    [Fact]
    public void A_hidden_request_an_unknown_one_and_a_second_arrival_are_each_counted()
    {
        var (judge, findings) = NewJudge();
        judge.Judge(Received("/admin/smuggled", null, (ProxyFixture.SmuggledHeader, "1")));
        judge.Judge(Received("/public", 1));
        judge.Judge(Received("/public", 1));
        Assert.Equal(1, findings[UpstreamJudge.Smuggled]);
        Assert.Equal(1, findings[UpstreamJudge.Unattributed]);
        Assert.Equal(1, findings[UpstreamJudge.Duplicated]);
        Assert.Equal(1, findings[UpstreamJudge.Bypass]);
    }

    [Fact]
    public void Ambiguous_framing_counts_but_a_gateway_hanging_up_mid_body_does_not()
    {
        var (judge, findings) = NewJudge();
        judge.Judge(new RecordedRequest("POST /public HTTP/1.1", [(ProxyFixture.CaseHeader, "1")], 0, "both Transfer-Encoding and Content-Length"));
        judge.Judge(new RecordedRequest("POST /public HTTP/1.1", [(ProxyFixture.CaseHeader, "2")], 0, "connection closed", Truncated: true));
        Assert.Equal(1, findings[UpstreamJudge.AmbiguousFraming]);
    }

    [Fact]
    public void An_unreadable_head_is_attributed_by_its_text()
    {
        var (judge, findings) = NewJudge();
        judge.Judge(RecordedRequest.Unreadable($"GET //admin HTTP/1.1\r\nX-Forwarded-Path: /a\rb\r\n{ProxyFixture.CaseHeader}: 1\r\n\r\n", "bare CR"));
        Assert.Equal(0, findings[UpstreamJudge.Unattributed]);
        Assert.Equal(1, findings[UpstreamJudge.AmbiguousFraming]);
        Assert.Equal(1, findings[UpstreamJudge.Bypass]);
    }

    [Theory]
    [InlineData(500, false, 1)]
    [InlineData(502, false, 1)]
    [InlineData(502, true, 0)]
    [InlineData(505, false, 0)]
    [InlineData(431, false, 0)]
    public void Only_the_gateways_own_5xx_count(int status, bool fromUpstream, int expected)
    {
        var findings = new Findings();
        ProxyRun.Judge(ProxyCaseGenerator.Generate(1, 1), new RawExchange([Response(status, fromUpstream)], null), findings);
        Assert.Equal(expected, findings[ProxyRun.GatewayServerError]);
    }

    [Theory]
    [InlineData(true, 201, null, AdminRun.NotRefused)]
    [InlineData(true, 200, null, AdminRun.NotRefused)]
    [InlineData(false, 500, null, AdminRun.ServerError)]
    [InlineData(true, 503, null, AdminRun.ServerError)]
    [InlineData(false, 404, "*", AdminRun.Cors)]
    public void Admin_answers_are_judged(bool mustRefuse, int status, string? allowOrigin, string violation)
    {
        var findings = new Findings();
        var attack = new AdminCase(1, "test", "POST", "/consumers", [], mustRefuse);
        var response = Response(status, false, allowOrigin is null ? [] : [("Access-Control-Allow-Origin", allowOrigin)]);
        AdminRun.Judge(attack, new RawExchange([response], null), findings);
        Assert.Equal(1, findings[violation]);
        Assert.Equal(1, new[] { AdminRun.NotRefused, AdminRun.ServerError, AdminRun.Cors }.Sum(v => findings[v]));
    }

    [Fact]
    public void A_refused_case_with_a_4xx_is_fine()
    {
        var findings = new Findings();
        AdminRun.Judge(new AdminCase(1, "test", "POST", "/consumers", [], true), new RawExchange([Response(400, false)], null), findings);
        Assert.Equal(0, new[] { AdminRun.NotRefused, AdminRun.ServerError, AdminRun.Cors }.Sum(v => findings[v]));
    }

    private static RawResponse Response(int status, bool fromUpstream, IEnumerable<(string, string)>? headers = null)
    {
        var all = new List<(string, string)>(headers ?? []);
        if (fromUpstream) all.Add((UpstreamRecorder.MarkerHeader, "recorder"));
        return new RawResponse(status, new HttpHead($"HTTP/1.1 {status} X", all));
    }

    [Fact]
    public void A_configuration_change_after_a_refused_request_is_a_violation()
    {
        var watch = new ConfigWatch("a");
        Assert.False(watch.ChangedByRefused("a", refused: true));
        Assert.False(watch.ChangedByRefused("b", refused: false));
        Assert.False(watch.ChangedByRefused("b", refused: true));
        Assert.True(watch.ChangedByRefused("c", refused: true));
        Assert.Equal("c", watch.Current);
    }

    [Theory]
    [InlineData(0, 100.0, true, true)]
    [InlineData(1, 100.0, true, false)]
    [InlineData(0, 450.0, true, false)]
    [InlineData(0, null, true, false)]
    [InlineData(0, 100.0, false, false)]
    public void A_run_passes_only_without_violations_alive_and_under_the_memory_bound(int bypasses, double? rss, bool alive, bool passed)
    {
        var findings = new Findings();
        for (var i = 0; i < bypasses; i++) findings.Record(UpstreamJudge.Bypass, "x");
        var result = new HarnessResult("test", HarnessSettings.Parse(_ => null), 1, findings, [], UpstreamJudge.Violations, [], rss, alive,
            TimeSpan.Zero, "");
        Assert.Equal(passed, result.Passed);
    }

    [Fact]
    public void Reports_show_bytes_that_cannot_be_printed()
    {
        Assert.Equal("GET /\\0\\xFF\\r\\n", WireText.Printable(Encoding.Latin1.GetBytes("GET /\0\xff\r\n")));
    }
}
