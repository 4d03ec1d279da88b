using System.Net;
using System.Text.Json.Nodes;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>
/// The proxies balance over a Service's pods as its EndpointSlices list them: pods that come, go or terminate reach
/// the proxies like any other change, and a Service with a thousand endpoints reaches them whole.
/// </summary>
public class EndpointSyncTests
{
    const string Web = """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web}
        spec:
          ingressClassName: tollgate
          rules:
          - http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        """;

    [Fact]
    public async Task A_terminating_pod_gets_no_new_requests_and_a_new_pod_gets_its_share()
    {
        await using var harness = await SyncHarness.StartAsync(proxies: 1);
        var pods = await harness.ServiceAsync("web", 80, pods: 2);
        await harness.ApplyAsync(Web);
        await harness.Fleet.UntilEveryProxyAsync("/", HttpStatusCode.OK);
        await UntilServedByAsync(harness, ["web-0", "web-1"]);

        // web-0 is being deleted: its endpoint stays listed, terminating, while it drains.
        harness.Slice("web", "web-pod0", null, pods[0].Port, ["127.0.0.1"], terminating: true);
        await UntilServedByAsync(harness, ["web-1"]);

        harness.Slice("web", "web-pod0", null, pods[0].Port, ["127.0.0.1"]);
        await UntilServedByAsync(harness, ["web-0", "web-1"]);
    }

    [Fact]
    public async Task A_Service_with_a_thousand_endpoints_reaches_the_proxies_as_a_thousand_targets()
    {
        await using var harness = await SyncHarness.StartAsync(proxies: 2);
        await harness.ServiceAsync("web", 80);
        harness.Slice("web", "web-many", null, 8080, Enumerable.Range(0, 1000).Select(i => $"10.1.{i / 250}.{i % 250 + 1}"));
        await harness.ApplyAsync(Web);

        foreach (var admin in harness.Fleet.Admins)
        {
            await Wait.UntilAsync(async () =>
            {
                var upstreams = JsonNode.Parse(await admin.GetStringAsync("/upstreams?tags=k8s-name:web"))!["data"]!.AsArray();
                if (upstreams.Count != 1)
                    return false;
                var targets = JsonNode.Parse(await admin.GetStringAsync($"/upstreams/{upstreams[0]!["id"]}/targets?size=1000"))!;
                return targets["data"]!.AsArray().Count == 1000 && targets["next"] is not null;
            }, "the upstream lists the Service's 1,001 endpoints", 30);
        }
    }

    // Sends requests until every one of the expected pods answered and no other did, over the last 20 answers.
    static async Task UntilServedByAsync(SyncHarness harness, string[] expected)
    {
        var recent = new Queue<string>();
        await Wait.UntilAsync(async () =>
        {
            var body = await harness.Fleet.Proxies[0].GetStringAsync("/");
            recent.Enqueue((string)JsonNode.Parse(body)!["upstream"]!);
            if (recent.Count > 20)
                recent.Dequeue();
            return recent.Count == 20 && recent.ToHashSet().SetEquals(expected);
        }, $"the answers come from {string.Join(" and ", expected)} only (last: {string.Join(",", recent)})", 15);
    }
}
