using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Proxy.Health;
using Gateway.Proxy.IntegrationTests.Proxying;

namespace Gateway.Proxy.IntegrationTests.Health;

/// <summary>What the health tests share: a pool of targets behind one route, reading who answered, waiting for a condition.</summary>
internal static class HealthTesting
{
    /// <summary>A configuration with upstream "pool" (its id fixed, so later configurations keep it), routed at /pool.</summary>
    public static GatewayConfig Pool(Guid upstreamId, string healthchecks, string serviceFields, params ControlledUpstream[] targets)
    {
        var config = new GatewayConfig();
        var upstream = config.Upstream("pool", $$"""{"id": "{{upstreamId}}", "healthchecks": {{healthchecks}}}""");
        foreach (var target in targets) config.Target(upstream, target.Address);
        var service = config.Service("svc", $$"""{"host": "pool", {{serviceFields}}}""");
        config.Route(service, """{"paths": ["/pool"]}""");
        return config;
    }

    /// <summary>One request through the gateway: its status and the body (the answering upstream's name).</summary>
    public static async Task<(int Status, string Body)> GetAsync(GatewayTestHost gateway, string path = "/pool")
    {
        using var response = await gateway.Client.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The state of a target in the configuration in service.</summary>
    public static TargetHealth State(GatewayTestHost gateway, Guid upstreamId, ControlledUpstream target) =>
        gateway.Snapshots.Current!.Health.For(upstreamId)!.StateOf(target.Address)
        ?? throw new InvalidOperationException(target.Address + " is not in rotation");

    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? limit = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (limit ?? TimeSpan.FromSeconds(10))) Assert.Fail("timed out waiting until " + what);
            await Task.Delay(20);
        }
    }

    /// <summary>A self-signed certificate for a loopback https upstream.</summary>
    public static X509Certificate2 Certificate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
