using Gateway.Adversarial.Generation;
using Gateway.Adversarial.Runs;
using Xunit.Abstractions;

namespace Gateway.Adversarial.Tests;

/// <summary>
/// The Admin API under malformed requests (a third of the count DB-less, the rest on Postgres, where entity
/// writes are allowed): no 5xx, a 4xx for input that can only be refused, no CORS headers, the configuration
/// unchanged by every refused request, the process alive with bounded memory.
/// </summary>
[Collection(HarnessCollection.Name)]
public sealed class AdminHarnessTests(ITestOutputHelper output)
{
    [Fact]
    public Task Db_less_admin_api_survives_malformed_requests() => RunAsync(AdminStore.DbLess);

    [Fact]
    public Task Postgres_admin_api_survives_malformed_requests() => RunAsync(AdminStore.Postgres);

    private async Task RunAsync(AdminStore store)
    {
        var settings = HarnessSettings.FromEnvironment();
        var dbLessShare = Math.Max(1, settings.Count / 3);
        var count = store == AdminStore.DbLess ? dbLessShare : Math.Max(1, settings.Count - dbLessShare);
        var result = await AdminRun.RunAsync(settings, store, count);
        HarnessOutput.Write(output, result);
        Assert.True(result.Passed, result.Report());
    }
}
