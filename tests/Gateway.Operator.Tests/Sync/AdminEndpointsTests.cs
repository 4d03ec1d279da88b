using Gateway.Operator.Sync;
using Gateway.Operator.Tests.Builders;

namespace Gateway.Operator.Tests.Sync;

public class AdminEndpointsTests
{
    static V1EndpointSlice Slice(string service, string ns, string addressType, params (string Address, bool? Ready, bool? Terminating)[] endpoints) => new()
    {
        Metadata = new() { Name = $"{service}-abcde", NamespaceProperty = ns, Labels = new Dictionary<string, string> { [AdminEndpoints.ServiceNameLabel] = service } },
        AddressType = addressType,
        Ports = [new() { Name = "admin", Port = 8001, Protocol = "TCP" }],
        Endpoints = [.. endpoints.Select(e => new V1Endpoint { Addresses = [e.Address], Conditions = new() { Ready = e.Ready, Terminating = e.Terminating } })],
    };

    [Fact]
    public void Only_ready_endpoints_of_the_gateways_admin_service_are_used()
    {
        var gw = Gateways.New();
        var ns = gw.Metadata.NamespaceProperty!;

        var addresses = AdminEndpoints.Ready(gw, [
            Slice("edge-admin", ns, "IPv4", ("10.0.0.2", true, false), ("10.0.0.3", false, false), ("10.0.0.4", true, true), ("10.0.0.5", null, null)),
            Slice("edge-admin", ns, "IPv6", ("fd00::7", true, false)),
            Slice("edge-proxy", ns, "IPv4", ("10.0.0.9", true, false)),
            Slice("edge-admin", "elsewhere", "IPv4", ("10.0.1.2", true, false)),
        ]);

        Assert.Equal(["http://10.0.0.2:8001/", "http://10.0.0.5:8001/", "http://[fd00::7]:8001/"], addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void A_gateway_without_ready_proxies_has_no_address()
    {
        var gw = Gateways.New();
        Assert.Empty(AdminEndpoints.Ready(gw, [Slice("edge-admin", gw.Metadata.NamespaceProperty!, "IPv4", ("10.0.0.3", false, false))]));
    }
}
