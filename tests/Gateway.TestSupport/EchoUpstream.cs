using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.TestSupport;

/// <summary>
/// A real HTTP upstream on a loopback port that describes every request it receives as JSON:
/// {"upstream", "method", "path", "query", "headers", "body"}. Request headers steer it:
/// <c>x-echo-status</c> sets the response status, <c>x-echo-delay-ms</c> delays the answer,
/// each <c>x-echo-header-NAME: value</c> adds the response header NAME. Started with HTTPS options it speaks TLS,
/// and describes the client certificate it was shown, if any, as <c>"client_certificate": subject</c>.
/// </summary>
public sealed class EchoUpstream : IAsyncDisposable
{
    // Relaxed escaping keeps '+', '<', '&' and non-ASCII text readable in assertions and failure messages.
    static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    readonly WebApplication _app;
    readonly string _name;
    readonly bool _https;
    int _requestCount;

    EchoUpstream(WebApplication app, string name, bool https)
    {
        _app = app;
        _name = name;
        _https = https;
    }

    public int Port { get; private set; }

    public string Url => $"{(_https ? "https" : "http")}://127.0.0.1:{Port}";

    /// <summary>How many requests have reached this upstream.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>The last requests received (up to 64), oldest first.</summary>
    public IReadOnlyList<ReceivedRequest> Received
    {
        get
        {
            lock (_received)
                return [.. _received];
        }
    }

    readonly Queue<ReceivedRequest> _received = new();

    /// <summary>Starts on a free loopback port; with <paramref name="https"/>, over TLS with those options.</summary>
    public static async Task<EchoUpstream> StartAsync(string name = "echo", HttpsConnectionAdapterOptions? https = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Port 0 lets the kernel choose, so there is no race with other tests for the port.
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (https is not null) listen.UseHttps(https);
        }));
        var app = builder.Build();

        var upstream = new EchoUpstream(app, name, https is not null);
        app.Run(upstream.HandleAsync);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        upstream.Port = new Uri(address).Port;
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requestCount);
        var request = context.Request;

        if (int.TryParse(request.Headers["x-echo-delay-ms"], CultureInfo.InvariantCulture, out var delay))
            await Task.Delay(delay, context.RequestAborted);

        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var (target, query) = SplitRawTarget(context);
        lock (_received)
        {
            if (_received.Count == 64) _received.Dequeue();
            _received.Enqueue(new ReceivedRequest(request.Method, target + query,
                request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body));
        }

        var response = context.Response;
        response.StatusCode = int.TryParse(request.Headers["x-echo-status"], CultureInfo.InvariantCulture, out var status)
            ? status
            : StatusCodes.Status200OK;
        foreach (var (name, value) in request.Headers)
        {
            if (name.StartsWith("x-echo-header-", StringComparison.OrdinalIgnoreCase))
                response.Headers.Append(name["x-echo-header-".Length..], value);
        }
        // These statuses (and HEAD) must not carry a body.
        if (response.StatusCode is StatusCodes.Status204NoContent or StatusCodes.Status304NotModified
            || HttpMethods.IsHead(request.Method))
            return;
        response.ContentType = "application/json";
        await WriteDescriptionAsync(context, body, response.Body);
    }

    async Task WriteDescriptionAsync(HttpContext context, string body, Stream destination)
    {
        var (path, query) = SplitRawTarget(context);
        await using var json = new Utf8JsonWriter(destination, JsonOptions);
        json.WriteStartObject();
        json.WriteString("upstream", _name);
        json.WriteString("method", context.Request.Method);
        json.WriteString("path", path);
        json.WriteString("query", query);
        json.WriteStartObject("headers");
        foreach (var (name, values) in context.Request.Headers)
            json.WriteString(name.ToLowerInvariant(), string.Join(", ", values.ToArray()));
        json.WriteEndObject();
        json.WriteString("body", body);
        if (context.Connection.ClientCertificate is { } client) json.WriteString("client_certificate", client.Subject);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    // The raw request target shows exactly what the proxy sent, before any decoding.
    static (string Path, string Query) SplitRawTarget(HttpContext context)
    {
        var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var mark = target.IndexOf('?');
        return mark < 0 ? (target, "") : (target[..mark], target[mark..]);
    }
}

/// <summary>A request as an <see cref="EchoUpstream"/> received it: method, raw target, headers (names lower-case) and body.</summary>
public sealed record ReceivedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body);
