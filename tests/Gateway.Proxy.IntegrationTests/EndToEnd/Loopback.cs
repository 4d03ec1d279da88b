using System.Net;
using System.Net.Http.Json;
using Gateway.Proxy.Settings;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.EndToEnd;

/// <summary>Small helpers shared by the end-to-end tests: ports, HTTP clients, waiting.</summary>
public static class Loopback
{
    public static ListenAddress FreeAddress() => new(IPAddress.Loopback, FreePort.Next());

    public static HttpClient Client(ListenAddress address) => new()
    {
        BaseAddress = new Uri($"http://{address}"),
        Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Creates service <paramref name="name"/> pointing at <paramref name="upstream"/> and a route for <paramref name="path"/>.</summary>
    /// <summary>A form-encoded Admin API body, as curl's --data sends it.</summary>
    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));

    /// <summary>Awaits <paramref name="call"/>, fails unless it answered <paramref name="status"/>, and returns the body.</summary>
    public static async Task<string> ExpectAsync(HttpStatusCode status, Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return body;
    }

    public static async Task CreateServiceWithRouteAsync(HttpClient admin, string name, string upstream, string path)
    {
        using var service = await admin.PostAsJsonAsync("/services", new { name, url = upstream });
        Assert.True(service.StatusCode == HttpStatusCode.Created, await service.Content.ReadAsStringAsync());
        using var route = await admin.PostAsJsonAsync($"/services/{name}/routes", new { paths = new[] { path } });
        Assert.True(route.StatusCode == HttpStatusCode.Created, await route.Content.ReadAsStringAsync());
    }

    /// <summary>Polls <paramref name="path"/> until it answers <paramref name="status"/>; fails after <paramref name="limit"/>.</summary>
    public static async Task WaitForStatusAsync(HttpClient client, string path, HttpStatusCode status, TimeSpan limit, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + limit;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await client.GetAsync(path);
                if (response.StatusCode == status) return;
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            await Task.Delay(20);
        }
        Assert.Fail($"GET {client.BaseAddress}{path.TrimStart('/')} did not answer {(int)status} within {limit}; last: {last}\n{context?.Invoke()}");
    }

    public static Dictionary<string, string?> ServeEnvironment(string database, string? pgConnection, ListenAddress proxy,
        ListenAddress admin, ListenAddress status, string cacheDir) => new()
    {
        ["GATEWAY_DATABASE"] = database,
        ["GATEWAY_PG_CONNECTION"] = pgConnection,
        ["GATEWAY_PROXY_LISTEN"] = proxy.ToString(),
        ["GATEWAY_ADMIN_LISTEN"] = admin.ToString(),
        ["GATEWAY_STATUS_LISTEN"] = status.ToString(),
        ["GATEWAY_CACHE_DIR"] = cacheDir,
    };
}
