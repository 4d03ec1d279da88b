using System.Net;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>Query parameter matches, precedence across kinds of match, a partly invalid rule, a prefix-replacing redirect and timeouts.</summary>
public partial class GatewayApiConformanceTests
{
    [Fact]
    public async Task Query_parameter_matches_pick_the_rule()
    {
        await Harness.ApplyAsync(Route("queries", Infra, "same-namespace", "queries.example.com", $$"""
              - matches: [{queryParams: [{name: animal, value: whale}]}]
                backendRefs: [{{Backend("infra-backend-v1")}}]
              - matches: [{queryParams: [{name: animal, value: dolphin}]}]
                backendRefs: [{{Backend("infra-backend-v2")}}]
              - matches:
                - queryParams: [{name: animal, value: dolphin}, {name: color, value: blue}]
                - queryParams: [{name: ANIMAL, value: Whale}]
                backendRefs: [{{Backend("infra-backend-v3")}}]
            """));

        await ExpectAsync("queries.example.com",
            Case("/?animal=whale", "infra-backend-v1-0"), Case("/?animal=whale&other=irrelevant", "infra-backend-v1-0"),
            Case("/?animal=dolphin", "infra-backend-v2-0"), Case("/?animal=dolphin&color=yellow", "infra-backend-v2-0"),
            Case("/?animal=dolphin&color=blue", "infra-backend-v3-0"), Case("/?ANIMAL=Whale", "infra-backend-v3-0"),
            Case("/?animal=Whale", "404"), Case("/?color=blue", "404"), Case("/", "404"));
    }

    [Fact]
    public async Task Within_a_route_exact_paths_come_first_then_the_longest_prefix_whatever_the_rule_order()
    {
        await Harness.ApplyAsync(Route("path-order", Infra, "same-namespace", "path-order.example.com", $$$"""
              - matches: [{path: {type: Exact, value: /match}}]
                backendRefs: [{{{Backend("infra-backend-v1")}}}]
              - matches: [{path: {type: Exact, value: /match/exact}}]
                backendRefs: [{{{Backend("infra-backend-v2")}}}]
              - matches: [{path: {type: Exact, value: /match/exact/one}}]
                backendRefs: [{{{Backend("infra-backend-v3")}}}]
              - matches: [{path: {type: PathPrefix, value: /match/}}]
                backendRefs: [{{{Backend("infra-backend-v3")}}}]
              - matches: [{path: {type: PathPrefix, value: /match/prefix/}}]
                backendRefs: [{{{Backend("infra-backend-v1")}}}]
              - matches: [{path: {type: PathPrefix, value: /match/prefix/one}}]
                backendRefs: [{{{Backend("infra-backend-v2")}}}]
            """));

        await ExpectAsync("path-order.example.com",
            Case("/match/exact/one", "infra-backend-v3-0"), Case("/match/exact", "infra-backend-v2-0"), Case("/match", "infra-backend-v1-0"),
            Case("/match/prefix/one/any", "infra-backend-v2-0"), Case("/match/prefix/any", "infra-backend-v1-0"), Case("/match/any", "infra-backend-v3-0"));
    }

    [Fact]
    public async Task Across_routes_a_method_match_beats_header_matches_and_headers_beat_query_parameters()
    {
        // The route that must lose is the older each time, so that the order of creation cannot explain the result.
        await Harness.ApplyAsync(Route("kinds-queries", Infra, "same-namespace", "kinds.example.com", $$"""
              - matches: [{queryParams: [{name: a, value: "1"}, {name: b, value: "1"}]}]
                backendRefs: [{{Backend("infra-backend-v3")}}]
            """));
        await Harness.ApplyAsync(Route("kinds-headers", Infra, "same-namespace", "kinds.example.com", $$"""
              - matches: [{headers: [{name: version, value: two}]}]
                backendRefs: [{{Backend("infra-backend-v2")}}]
            """));
        await Harness.ApplyAsync(Route("kinds-method", Infra, "same-namespace", "kinds.example.com", $$"""
              - matches: [{method: GET}]
                backendRefs: [{{Backend("infra-backend-v1")}}]
            """));

        await ExpectAsync("kinds.example.com",
            Case("/?a=1&b=1", "infra-backend-v1-0", ("version", "two")));
        foreach (var proxy in Harness.Fleet.Proxies)
        {
            Assert.Equal("infra-backend-v2-0", await AnswerAsync(proxy, HttpMethod.Post, "kinds.example.com", "/?a=1&b=1", ("version", "two")));
            Assert.Equal("infra-backend-v3-0", await AnswerAsync(proxy, HttpMethod.Post, "kinds.example.com", "/?a=1&b=1"));
            Assert.Equal("404", await AnswerAsync(proxy, HttpMethod.Post, "kinds.example.com", "/?a=1"));
        }
    }

    [Fact]
    public async Task The_share_of_a_rule_on_an_invalid_backend_is_answered_500()
    {
        await Harness.ApplyAsync(Route("partly-invalid", Infra, "same-namespace", "partly.example.com",
            $"  - backendRefs: [{Backend("infra-backend-v1")}, {Backend("no-such-backend")}]"));
        await UntilParentAsync(Infra, "partly-invalid", "ResolvedRefs", "False", "BackendNotFound");
        await ExpectAsync("partly.example.com", Case("/", "500"));
        await ExpectAsync("partly.example.com", Case("/", "infra-backend-v1-0"));

        var answers = await CountAnswersAsync("partly.example.com", 400);

        Assert.Equal(["500", "infra-backend-v1-0"], answers.Keys.Order(StringComparer.Ordinal));
        // Half of 400; 150 and 250 are five standard deviations (10) away.
        Assert.InRange(answers["500"], 150, 250);
    }

    [Fact]
    public async Task A_redirect_replaces_the_prefix_its_match_matched()
    {
        await Harness.ApplyAsync(Route("redirect-prefix", Infra, "same-namespace", "redirect-prefix.example.com", """
              - matches: [{path: {type: PathPrefix, value: /original-prefix}}]
                filters:
                - type: RequestRedirect
                  requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}}
              - matches: [{path: {type: PathPrefix, value: /strip-prefix}}]
                filters:
                - type: RequestRedirect
                  requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}
            """));

        foreach (var client in Harness.Fleet.Proxies)
        {
            using var proxy = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = client.BaseAddress };
            foreach (var (path, location) in new[]
                     {
                         ("/original-prefix/lemon", "/replacement-prefix/lemon"), ("/original-prefix", "/replacement-prefix"),
                         ("/strip-prefix/three", "/three"), ("/strip-prefix", "/"),
                     })
            {
                var last = "";
                await Wait.UntilAsync(async () =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, path);
                    request.Headers.Host = "redirect-prefix.example.com";
                    using var response = await proxy.SendAsync(request);
                    last = $"{(int)response.StatusCode} {response.Headers.Location}";
                    return last == $"302 http://redirect-prefix.example.com{location}";
                }, () => $"{path} redirects to {location} (last: {last})", 15);
            }
        }
    }

    [Fact]
    public async Task A_request_that_outlasts_its_rule_timeout_is_answered_504()
    {
        await Harness.ApplyAsync(Route("timeouts", Infra, "same-namespace", "timeouts.example.com", $$$"""
              - matches: [{path: {type: PathPrefix, value: /request-timeout}}]
                timeouts: {request: 500ms}
                backendRefs: [{{{Backend("infra-backend-v1")}}}]
              - matches: [{path: {type: PathPrefix, value: /backend-timeout}}]
                timeouts: {request: 10s, backendRequest: 500ms}
                backendRefs: [{{{Backend("infra-backend-v1")}}}]
            """));
        await ExpectAsync("timeouts.example.com", Case("/request-timeout", "infra-backend-v1-0"), Case("/backend-timeout", "infra-backend-v1-0"));

        foreach (var proxy in Harness.Fleet.Proxies)
        {
            Assert.Equal("504", await AnswerAsync(proxy, "timeouts.example.com", "/request-timeout", ("x-echo-delay-ms", "2000")));
            Assert.Equal("504", await AnswerAsync(proxy, "timeouts.example.com", "/backend-timeout", ("x-echo-delay-ms", "2000")));
            Assert.Equal("infra-backend-v1-0", await AnswerAsync(proxy, "timeouts.example.com", "/request-timeout", ("x-echo-delay-ms", "50")));
        }
    }

    // How often each answer came, over requests sent to the proxies in turn.
    async Task<Dictionary<string, int>> CountAnswersAsync(string host, int requests)
    {
        var answers = new Dictionary<string, int>();
        for (var i = 0; i < requests; i++)
        {
            var answer = await AnswerAsync(Harness.Fleet.Proxies[i % Harness.Fleet.Proxies.Count], host, "/");
            answers[answer] = answers.GetValueOrDefault(answer) + 1;
        }
        return answers;
    }

    // The backend that answered, or the status when it is not 200.
    static async Task<string> AnswerAsync(HttpClient proxy, HttpMethod method, string host, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Host = host;
        foreach (var (name, value) in headers)
            request.Headers.Add(name, value);
        using var response = await proxy.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK
            ? (string)System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["upstream"]!
            : ((int)response.StatusCode).ToString();
    }
}
