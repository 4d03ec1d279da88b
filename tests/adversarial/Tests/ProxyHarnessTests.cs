using Gateway.Adversarial.Runs;
using Xunit.Abstractions;

namespace Gateway.Adversarial.Tests;

/// <summary>
/// The proxy under hostile requests: no 5xx of its own, nothing reaches the guarded path without the key, no
/// forged identity or forwarded value and no smuggled request reaches the upstream, the process alive with
/// bounded memory.
/// </summary>
[Collection(HarnessCollection.Name)]
public sealed class ProxyHarnessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Proxy_survives_hostile_requests()
    {
        var result = await ProxyRun.RunAsync(HarnessSettings.FromEnvironment());
        HarnessOutput.Write(output, result);
        Assert.True(result.Passed, result.Report());
    }
}
