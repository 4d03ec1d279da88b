using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Operator.Tests.Kubernetes;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>
/// A gateway whose proxies have a TLS listener, the conformance suite's namespaces and an echo backend, shared by the
/// tests of <see cref="GatewayApiHttpsTests"/> (each test uses Gateways and hostnames of its own).
/// </summary>
public sealed class HttpsCluster : IAsyncLifetime
{
    public const string Infra = "gateway-conformance-infra";
    public const string Web = "gateway-conformance-web-backend";

    internal SyncHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Harness = await SyncHarness.StartAsync(proxies: 2, gatewayApi: true, proxyTls: true);
        foreach (var ns in new[] { Infra, Web })
            Harness.Server.Create("v1", "Namespace", null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        foreach (var backend in new[] { "infra-backend-v1", "infra-backend-v2" })
            await Harness.ServiceAsync(backend, 8080, ns: Infra);
        await Harness.ApplyGatewayClassAsync();
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}

/// <summary>
/// HTTPS listeners of a Gateway, with real TLS through every proxy: the certificate of the Secret a listener names is
/// served for its hostname, and a reference that cannot be used (missing, malformed, not a Secret, in another
/// namespace without a ReferenceGrant) is the listener's ResolvedRefs condition with the spec's reason.
/// </summary>
public class GatewayApiHttpsTests(HttpsCluster cluster) : IClassFixture<HttpsCluster>
{
    const string GatewayApi = "gateway.networking.k8s.io/v1";
    const string Infra = HttpsCluster.Infra;
    const string Web = HttpsCluster.Web;
    SyncHarness Harness => cluster.Harness;

    [Fact]
    public async Task HTTPS_listeners_serve_the_certificate_of_their_Secret_and_their_routes_on_every_proxy()
    {
        // As the conformance suite's HTTPS listener test: a listener without a hostname and one with, one Secret whose
        // certificate names both hosts, a route by hostname and one without hostnames attached by section name.
        var certificate = TestCertificates.SelfSigned("secure.example.com", "secure.example.com", "second.example.com");
        await Harness.ApplyAsync(TlsSecret("secure-certificate", Infra, certificate) + $$"""

            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: secure, namespace: {{Infra}}}
            spec:
              gatewayClassName: tollgate
              listeners:
              - name: https
                protocol: HTTPS
                port: 443
                tls:
                  certificateRefs: [{name: secure-certificate}]
              - name: https-with-hostname
                protocol: HTTPS
                port: 443
                hostname: second.example.com
                tls:
                  certificateRefs: [{group: "", kind: Secret, name: secure-certificate, namespace: {{Infra}}}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: second, namespace: {{Infra}}}
            spec:
              parentRefs:
              - {name: secure, sectionName: https-with-hostname}
              rules:
              - backendRefs: [{name: infra-backend-v2, port: 8080}]
            """ + Route("secure", "secure", "secure.example.com"));

        await UntilServedAsync("secure.example.com", Hash(certificate.Cert), HttpStatusCode.OK, "infra-backend-v1-0");
        await UntilServedAsync("second.example.com", Hash(certificate.Cert), HttpStatusCode.OK, "infra-backend-v2-0");
        foreach (var listener in new[] { "https", "https-with-hostname" })
        {
            await UntilListenerAsync("secure", "ResolvedRefs", "True", "ResolvedRefs", listener);
            await UntilListenerAsync("secure", "Programmed", "True", "Programmed", listener);
            Assert.Equal("True", (string?)ListenerCondition("secure", "Accepted", listener)?["status"]);
            await Wait.UntilAsync(() => (int?)Listener("secure", listener)?["attachedRoutes"] == 1,
                () => $"listener {listener} counts its route (now: {Listener("secure", listener)?.ToJsonString()})", 30);
        }

        // A name no listener serves a certificate for gets the gateway's own certificate and no route; the routes are
        // not served over HTTP.
        await UntilServedAsync("unknown.example.com", Hash(Harness.ProxyTlsCertificate!), HttpStatusCode.NotFound, null);
        await Harness.Fleet.UntilEveryProxyAsync("/", HttpStatusCode.UpgradeRequired, 30, "secure.example.com");
    }

    [Fact]
    public async Task A_certificateRef_to_a_missing_or_malformed_Secret_or_to_something_else_is_an_InvalidCertificateRef()
    {
        await Harness.ApplyAsync($$"""
            apiVersion: v1
            kind: Secret
            metadata: {name: malformed-certificate, namespace: {{Infra}}}
            type: kubernetes.io/tls
            data: {tls.crt: {{Base64("Hello world\n")}}, tls.key: {{Base64("Hello world\n")}}}
            """
            + Gateway("nonexistent-secret", null, "{group: \"\", kind: Secret, name: nonexistent-certificate}")
            + Gateway("unsupported-group", null, "{group: wrong.group.company.io, kind: Secret, name: malformed-certificate}")
            + Gateway("unsupported-kind", null, "{group: \"\", kind: WrongKind, name: malformed-certificate}")
            + Gateway("malformed-secret", null, "{group: \"\", kind: Secret, name: malformed-certificate}"));

        foreach (var gateway in new[] { "nonexistent-secret", "unsupported-group", "unsupported-kind", "malformed-secret" })
        {
            await UntilListenerAsync(gateway, "ResolvedRefs", "False", "InvalidCertificateRef");
            Assert.Equal("False", (string?)ListenerCondition(gateway, "Programmed")?["status"]);
            Assert.Equal(0, (int?)Listener(gateway)!["attachedRoutes"]);
        }

        // The missing Secret, once it exists, resolves the reference.
        await Harness.ApplyAsync(TlsSecret("nonexistent-certificate", Infra, TestCertificates.SelfSigned("late.example.com", "late.example.com")));
        await UntilListenerAsync("nonexistent-secret", "ResolvedRefs", "True", "ResolvedRefs");
    }

    [Fact]
    public async Task A_certificate_of_another_namespace_is_served_only_while_a_ReferenceGrant_allows_it()
    {
        var certificate = TestCertificates.SelfSigned("granted.example.com", "granted.example.com");
        await Harness.ApplyAsync(TlsSecret("certificate", Web, certificate)
            + Gateway("granted", "granted.example.com", $"{{name: certificate, namespace: {Web}}}")
            + Route("granted", "granted", "granted.example.com"));
        await UntilListenerAsync("granted", "ResolvedRefs", "False", "RefNotPermitted");
        Assert.Equal("False", (string?)ListenerCondition("granted", "Programmed")?["status"]);
        await UntilServedAsync("granted.example.com", Hash(Harness.ProxyTlsCertificate!), HttpStatusCode.OK, "infra-backend-v1-0");

        // A grant of every Secret of the namespace, then one of this Secret by name: each lets the Gateway use it.
        foreach (var (grant, secretName) in new[] { ("all-in-namespace", ""), ("specific", "\n    name: certificate") })
        {
            await Harness.ApplyAsync($$"""
                apiVersion: gateway.networking.k8s.io/v1beta1
                kind: ReferenceGrant
                metadata: {name: {{grant}}, namespace: {{Web}}}
                spec:
                  from:
                  - {group: gateway.networking.k8s.io, kind: Gateway, namespace: {{Infra}}}
                  to:
                  - group: ""
                    kind: Secret{{secretName}}
                """);
            await UntilListenerAsync("granted", "ResolvedRefs", "True", "ResolvedRefs");
            await UntilListenerAsync("granted", "Programmed", "True", "Programmed");
            await UntilServedAsync("granted.example.com", Hash(certificate.Cert), HttpStatusCode.OK, "infra-backend-v1-0");

            // Deleting the grant revokes the access within the sync it starts (well before the periodic resync): the
            // status says so and the proxies stop serving the certificate.
            await Harness.Kubectl.SucceedAsync("delete", "referencegrant", grant, "-n", Web);
            await UntilListenerAsync("granted", "ResolvedRefs", "False", "RefNotPermitted", seconds: Operator.Sync.ConfigurationSync.Resync.TotalSeconds / 2);
            await UntilServedAsync("granted.example.com", Hash(Harness.ProxyTlsCertificate!), HttpStatusCode.OK, "infra-backend-v1-0");
        }
    }

    // A Gateway in the infra namespace with one HTTPS listener on the gateway's TLS port naming the given certificateRef.
    static string Gateway(string name, string? hostname, string certificateRef) => $$"""

        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: {{name}}, namespace: {{Infra}}}
        spec:
          gatewayClassName: tollgate
          listeners:
          - name: https
            protocol: HTTPS
            port: 443{{(hostname is null ? "" : $"\n    hostname: {hostname}")}}
            allowedRoutes:
              namespaces:
                from: Same
            tls:
              certificateRefs:
              - {{certificateRef}}
        """;

    static string Route(string name, string gateway, string host) => $$"""

        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: {{name}}, namespace: {{Infra}}}
        spec:
          parentRefs:
          - {name: {{gateway}}}
          hostnames: ["{{host}}"]
          rules:
          - backendRefs: [{name: infra-backend-v1, port: 8080}]
        """;

    static string TlsSecret(string name, string ns, (string Cert, string Key) pem) => $$"""
        apiVersion: v1
        kind: Secret
        metadata: {name: {{name}}, namespace: {{ns}}}
        type: kubernetes.io/tls
        data: {tls.crt: {{Base64(pem.Cert)}}, tls.key: {{Base64(pem.Key)}}}
        """;

    static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    static string Hash(string pem)
    {
        using var certificate = X509Certificate2.CreateFromPem(pem);
        return certificate.GetCertHashString(HashAlgorithmName.SHA256);
    }

    // Waits until every proxy, asked over TLS for the name, presents the certificate and answers with the status (and,
    // for a 200, from the upstream).
    async Task UntilServedAsync(string sni, string certificate, HttpStatusCode status, string? upstream)
    {
        for (var proxy = 0; proxy < Harness.Fleet.TlsListeners.Count; proxy++)
        {
            HttpsAnswer? last = null;
            await Wait.UntilAsync(async () =>
            {
                last = await Harness.Fleet.HttpsAsync(proxy, sni, "/");
                if (last.Certificate == certificate && last.Status == status
                    && (upstream is null || (string?)JsonNode.Parse(last.Body)?["upstream"] == upstream))
                    return true;
                await Task.Delay(100); // each try is a new TLS handshake: fewer of them on a loaded machine
                return false;
            }, () => $"proxy {proxy} presents certificate {certificate} for {sni} and answers {(int)status} {upstream} "
               + $"(last: {last?.Certificate} {(int?)last?.Status} {last?.Body})", 30);
        }
    }

    JsonNode? Listener(string gateway, string listener = "https") =>
        Harness.Server.TryGet(GatewayApi, "Gateway", Infra, gateway)?["status"]?["listeners"]?.AsArray().FirstOrDefault(l => (string?)l!["name"] == listener);

    JsonNode? ListenerCondition(string gateway, string type, string listener = "https") =>
        Listener(gateway, listener)?["conditions"]?.AsArray().FirstOrDefault(c => (string?)c!["type"] == type);

    Task UntilListenerAsync(string gateway, string type, string status, string reason, string listener = "https", double seconds = 30) =>
        Wait.UntilAsync(() => (string?)ListenerCondition(gateway, type, listener)?["status"] == status && (string?)ListenerCondition(gateway, type, listener)?["reason"] == reason,
            () => $"listener {listener} of Gateway {gateway} has {type}={status} {reason} (now: {ListenerCondition(gateway, type, listener)?.ToJsonString()})", seconds);
}
