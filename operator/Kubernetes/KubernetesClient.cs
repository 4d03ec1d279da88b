using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Operator.Kubernetes;

/// <summary>The Kubernetes REST API over HTTP, JSON only.</summary>
public sealed class KubernetesClient : IKubernetesClient, IDisposable
{
    static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    readonly HttpClient http;

    public KubernetesClient(ClusterConnection connection)
    {
        // Watches stay open for minutes, so the client has no overall timeout; single requests get their own.
        http = new HttpClient(connection.CreateHandler()) { BaseAddress = connection.Server, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("tollgate-operator", Entities.ApiGatewaySpec.DefaultVersion));
        DefaultNamespace = connection.Namespace;
    }

    public string DefaultNamespace { get; }

    public async Task<T?> GetAsync<T>(string name, string? ns = null, CancellationToken cancel = default) where T : class, IKubernetesObject
    {
        try
        {
            return await SendAsync<T>(HttpMethod.Get, ObjectPath<T>(ns, name), null, cancel);
        }
        catch (KubernetesNotFoundException)
        {
            return null;
        }
    }

    public Task<ObjectList<T>> ListAsync<T>(string? ns = null, string? labelSelector = null, CancellationToken cancel = default) where T : class, IKubernetesObject =>
        SendAsync<ObjectList<T>>(HttpMethod.Get, CollectionPath<T>(ns) + Query(("labelSelector", labelSelector)), null, cancel);

    public Task<T> CreateAsync<T>(T entity, CancellationToken cancel = default) where T : class, IKubernetesObject =>
        SendAsync<T>(HttpMethod.Post, CollectionPath<T>(entity.Metadata.Namespace), Json(entity), cancel);

    public Task<T> UpdateAsync<T>(T entity, CancellationToken cancel = default) where T : class, IKubernetesObject =>
        SendAsync<T>(HttpMethod.Put, ObjectPath<T>(entity.Metadata.Namespace, NameOf(entity)), Json(entity), cancel);

    public Task<T> UpdateStatusAsync<T>(T entity, CancellationToken cancel = default) where T : class, IKubernetesObject =>
        SendAsync<T>(HttpMethod.Put, ObjectPath<T>(entity.Metadata.Namespace, NameOf(entity)) + "/status", Json(entity), cancel);

    public Task<T> PatchAsync<T>(string name, string? ns, JsonNode mergePatch, CancellationToken cancel = default) where T : class, IKubernetesObject =>
        SendAsync<T>(HttpMethod.Patch, ObjectPath<T>(ns, name), new StringContent(mergePatch.ToJsonString(), Encoding.UTF8, "application/merge-patch+json"), cancel);

    public async Task<bool> DeleteAsync<T>(string name, string? ns = null, CancellationToken cancel = default) where T : class, IKubernetesObject
    {
        try
        {
            var options = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["propagationPolicy"] = "Background" };
            await SendAsync<JsonObject>(HttpMethod.Delete, ObjectPath<T>(ns, name), new StringContent(options.ToJsonString(), Encoding.UTF8, "application/json"), cancel);
            return true;
        }
        catch (KubernetesNotFoundException)
        {
            return false;
        }
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns, string? labelSelector, string resourceVersion,
        [EnumeratorCancellation] CancellationToken cancel = default) where T : class, IKubernetesObject
    {
        var path = CollectionPath<T>(ns) + Query(
            ("watch", "true"),
            ("allowWatchBookmarks", "true"),
            ("resourceVersion", resourceVersion),
            ("labelSelector", labelSelector),
            ("timeoutSeconds", "300"));
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
        if (!response.IsSuccessStatusCode)
            throw await ErrorAsync(response, cancel);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel));
        while (await reader.ReadLineAsync(cancel) is { } line)
        {
            if (line.Length == 0)
                continue;
            var change = JsonNode.Parse(line)!.AsObject();
            var type = (string?)change["type"];
            var obj = change["object"] ?? new JsonObject();
            if (type == "ERROR")
            {
                var status = KubernetesJson.FromNode<Status>(obj);
                throw KubernetesApiException.From((HttpStatusCode)status.Code, status, "watch failed");
            }
            yield return new WatchEvent<T>(ParseType(type), KubernetesJson.FromNode<T>(obj));
        }
    }

    static WatchEventType ParseType(string? type) => type switch
    {
        "ADDED" => WatchEventType.Added,
        "MODIFIED" => WatchEventType.Modified,
        "DELETED" => WatchEventType.Deleted,
        "BOOKMARK" => WatchEventType.Bookmark,
        _ => throw new KubernetesApiException(HttpStatusCode.OK, null, $"unknown watch event type '{type}'"),
    };

    async Task<TResult> SendAsync<TResult>(HttpMethod method, string path, HttpContent? content, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(RequestTimeout);
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await http.SendAsync(request, timeout.Token);
        if (!response.IsSuccessStatusCode)
            throw await ErrorAsync(response, timeout.Token);
        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        return KubernetesJson.Deserialize<TResult>(body);
    }

    static async Task<KubernetesApiException> ErrorAsync(HttpResponseMessage response, CancellationToken cancel)
    {
        var body = await response.Content.ReadAsStringAsync(cancel);
        Status? status = null;
        try
        {
            status = KubernetesJson.Deserialize<Status>(body);
        }
        catch (JsonException)
        {
        }
        var fallback = $"{(int)response.StatusCode} {response.ReasonPhrase} from {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}";
        return KubernetesApiException.From(response.StatusCode, status, fallback);
    }

    static StringContent Json<T>(T entity) => new(KubernetesJson.Serialize(entity), Encoding.UTF8, "application/json");

    static string NameOf(IKubernetesObject entity) =>
        entity.Metadata.Name ?? throw new ArgumentException($"{entity.Kind} has no metadata.name");

    /// <summary>/api/v1/namespaces/ns/secrets, /apis/apps/v1/deployments (all namespaces), …</summary>
    public static string CollectionPath<T>(string? ns)
    {
        var entity = EntityInfo.Of<T>();
        var root = entity.Group.Length == 0 ? $"/api/{entity.ApiVersion}" : $"/apis/{entity.Group}/{entity.ApiVersion}";
        return entity.Namespaced && ns is not null
            ? $"{root}/namespaces/{Uri.EscapeDataString(ns)}/{entity.PluralName}"
            : $"{root}/{entity.PluralName}";
    }

    static string ObjectPath<T>(string? ns, string name)
    {
        if (EntityInfo.Of<T>().Namespaced && string.IsNullOrEmpty(ns))
            throw new ArgumentException($"{typeof(T).Name} is namespaced: a namespace is required");
        return $"{CollectionPath<T>(ns)}/{Uri.EscapeDataString(name)}";
    }

    static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join('&', present);
    }

    public void Dispose() => http.Dispose();
}
