using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Gateway.KubeApiServer.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.KubeApiServer;

/// <summary>A request the server received, for tests that count calls (e.g. "the second reconcile wrote nothing").</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, DateTimeOffset At)
{
    public bool IsWrite => Method is "POST" or "PUT" or "PATCH" or "DELETE";
}

/// <summary>
/// An in-memory Kubernetes API server on a loopback port, served by Kestrel over real HTTP, so that
/// the operator's client and the real kubectl talk to it as to a cluster.
/// </summary>
public sealed class KubeApiServer : IAsyncDisposable
{
    readonly WebApplication app;
    readonly CancellationTokenSource stopping = new();
    readonly ConcurrentQueue<RecordedRequest> requests = new();
    readonly ConcurrentQueue<ApiAccess> accesses = new();
    readonly ConcurrentDictionary<string, int> injectedFaults = new();

    readonly TlsOptions? tls;

    KubeApiServer(WebApplication app, ResourceCatalog catalog, ObjectStore store, TlsOptions? tls)
    {
        this.app = app;
        this.tls = tls;
        Catalog = catalog;
        Store = store;
        Access = new AccessControl(this);
        AdminToken = Access.Tokens.Issue("kubernetes-admin", [UserInfo.Masters]);
    }

    public ResourceCatalog Catalog { get; }
    public ObjectStore Store { get; }
    public Uri Url { get; private set; } = null!;

    /// <summary>How often an idle watch that asked for bookmarks receives one.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The field manager the direct calls below write as (an Update entry in managedFields), standing for
    /// whoever else edits objects in a real cluster: a user, the kubelet, another controller.
    /// </summary>
    public string DirectFieldManager { get; set; } = "tests";

    /// <summary>When set, every request must carry this bearer token (401 otherwise). Not used while <see cref="Authorization"/> is on.</summary>
    public string? RequiredToken { get; set; }

    /// <summary>
    /// Off (the default): every request is allowed, and the checks it needs are only recorded in <see cref="Accesses"/>.
    /// On: a request needs a token from <see cref="IssueToken"/>, <see cref="IssueServiceAccountToken"/> or
    /// <see cref="AdminToken"/> (401 otherwise), and every check must be allowed by the RBAC objects the
    /// server holds (403 otherwise), escalation prevention included. Direct calls from tests are never checked.
    /// </summary>
    public bool Authorization { get; set; }

    /// <summary>A token of a user in system:masters, which RBAC allows everything.</summary>
    public string AdminToken { get; }

    /// <summary>A bearer token for <paramref name="user"/> in <paramref name="groups"/> (and system:authenticated).</summary>
    public string IssueToken(string user, params string[] groups) => Access.Tokens.Issue(user, groups);

    /// <summary>
    /// The token of service account <paramref name="name"/> in <paramref name="ns"/>: user system:serviceaccount:NS:NAME,
    /// groups system:serviceaccounts, system:serviceaccounts:NS and system:authenticated.
    /// </summary>
    public string IssueServiceAccountToken(string ns, string name) => Access.Tokens.IssueServiceAccount(ns, name);

    internal AccessControl Access { get; }

    public IReadOnlyList<RecordedRequest> Requests => requests.ToList();

    /// <summary>The authorization checks made for clients' requests, refused or not (direct calls from tests make none).</summary>
    public IReadOnlyList<ApiAccess> Accesses => accesses.ToList();

    internal CancellationToken Stopping => stopping.Token;

    /// <summary>
    /// Starts on a free loopback port. With <paramref name="tls"/> it serves HTTPS with that certificate
    /// and, when <see cref="TlsOptions.ClientAuthority"/> is set, accepts only client certificates it signed.
    /// </summary>
    public static async Task<KubeApiServer> StartAsync(TlsOptions? tls = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (tls is not null)
                listen.UseHttps(https => tls.Configure(https));
        }));
        var app = builder.Build();
        var catalog = new ResourceCatalog();
        var store = new ObjectStore(catalog);
        var server = new KubeApiServer(app, catalog, store, tls);
        var endpoints = new ApiEndpoints(server);
        app.Run(endpoints.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address);
        foreach (var ns in new[] { "default", "kube-system", "kube-public" })
            server.Create("v1", "Namespace", null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        return server;
    }

    /// <summary>The subject of the client certificate of the last request that presented one.</summary>
    public string? LastClientCertificateSubject { get; internal set; }

    internal void Record(string method, string pathAndQuery) => requests.Enqueue(new(method, pathAndQuery, DateTimeOffset.UtcNow));

    internal void Record(ApiAccess access) => accesses.Enqueue(access);

    public void ClearRequests() => requests.Clear();

    /// <summary>The next <paramref name="count"/> writes of <paramref name="method"/> to <paramref name="plural"/> fail with <paramref name="code"/>.</summary>
    public void FailNextWrites(string plural, string method, int count, int code = 409) =>
        injectedFaults[$"{plural} {method}"] = count * 1000 + code;

    internal void ThrowInjectedFault(ResourceType type, string method)
    {
        var key = $"{type.Plural} {method}";
        while (injectedFaults.TryGetValue(key, out var packed) && packed >= 1000)
        {
            if (!injectedFaults.TryUpdate(key, packed - 1000, packed))
                continue;
            var code = packed % 1000;
            throw code == 409
                ? ApiError.Conflict(type, "(injected)")
                : new ApiError(code, "InternalError", "injected failure");
        }
    }

    ResourceType Type(string apiVersion, string kind) =>
        Catalog.FindKind(apiVersion, kind) ?? throw new InvalidOperationException($"{apiVersion} {kind} is not served");

    // Direct access for tests: the same store operations the HTTP API runs, so watches see them.

    public JsonObject Create(string apiVersion, string kind, string? ns, JsonObject obj) => Store.Create(Type(apiVersion, kind), ns, obj, manager: DirectFieldManager);

    public JsonObject Get(string apiVersion, string kind, string? ns, string name) => Store.Get(Type(apiVersion, kind), ns, name);

    public JsonObject? TryGet(string apiVersion, string kind, string? ns, string name)
    {
        try
        {
            return Get(apiVersion, kind, ns, name);
        }
        catch (ApiError error) when (error.Code == 404)
        {
            return null;
        }
    }

    public List<JsonObject> List(string apiVersion, string kind, string? ns = null) =>
        Store.List(Type(apiVersion, kind), ns, _ => true).Items;

    public JsonObject Delete(string apiVersion, string kind, string? ns, string name) => Store.Delete(Type(apiVersion, kind), ns, name);

    /// <summary>Merges <paramref name="patch"/> into the object (its status when <paramref name="status"/>), as a controller or the kubelet would.</summary>
    public JsonObject Patch(string apiVersion, string kind, string? ns, string name, JsonObject patch, bool status = false) =>
        Store.Patch(Type(apiVersion, kind), ns, name, current => Patches.Merge(current, patch)!.AsObject(), status, manager: DirectFieldManager);

    /// <summary>
    /// A server-side apply of <paramref name="config"/> (apiVersion, kind and metadata.name included) by
    /// <paramref name="fieldManager"/>, as kubectl apply --server-side or a controller sends it.
    /// </summary>
    public JsonObject Apply(string? ns, JsonObject config, string fieldManager, bool force = false, bool status = false)
    {
        var type = Type((string?)config["apiVersion"] ?? "", (string?)config["kind"] ?? "");
        return Store.Apply(type, ns, (string?)config["metadata"]?["name"] ?? "", config, fieldManager, force, status);
    }

    /// <summary>
    /// A kubeconfig file that points kubectl (or any client) at this server, with <paramref name="token"/> (else
    /// <see cref="RequiredToken"/>) as its credential. Over TLS it trusts the server's certificate (see <see cref="TlsOptions.SelfSigned"/>).
    /// </summary>
    public string WriteKubeconfig(string path, string ns = "default", string? token = null)
    {
        var credential = token ?? RequiredToken;
        var tokenLine = credential is null ? "" : $"\n    token: {credential}";
        var authority = tls is null ? "" : $"\n    certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(tls.ServerCertificate.ExportCertificatePem()))}";
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: memory
              cluster:
                server: {Url.ToString().TrimEnd('/')}{authority}
            users:
            - name: tester
              user:{(tokenLine.Length == 0 ? " {}" : tokenLine)}
            contexts:
            - name: memory
              context:
                cluster: memory
                user: tester
                namespace: {ns}
            current-context: memory
            """);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        stopping.Dispose();
    }
}
