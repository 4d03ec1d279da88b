using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Gateway.Proxy.IntegrationTests.Health;

/// <summary>
/// A loopback HTTP upstream a test steers while traffic flows: it answers every request with <see cref="Status"/> and its
/// name as the body, or, with <see cref="Hang"/>, accepts requests and never answers them. It can be stopped (killed) and
/// started again on the same port. Requests for <see cref="ProbePath"/> are counted as probes, apart from proxied ones.
/// </summary>
public sealed class ControlledUpstream : IAsyncDisposable
{
    private readonly X509Certificate2? _certificate;
    private WebApplication? _app;
    private int _requests;
    private int _probes;
    private volatile int _status = 200;
    private volatile bool _hang;

    private ControlledUpstream(string name, string probePath, X509Certificate2? certificate)
    {
        Name = name;
        ProbePath = probePath;
        _certificate = certificate;
    }

    public string Name { get; }

    public string ProbePath { get; }

    public int Port { get; private set; }

    /// <summary>"127.0.0.1:port", as a target.</summary>
    public string Address => "127.0.0.1:" + Port;

    public int Status
    {
        get => _status;
        set => _status = value;
    }

    public bool Hang
    {
        get => _hang;
        set => _hang = value;
    }

    /// <summary>Requests other than probes that reached it.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public int Probes => Volatile.Read(ref _probes);

    /// <summary>The headers of each probe received (names in lower case), in order.</summary>
    public ConcurrentQueue<Dictionary<string, string>> ProbeHeaders { get; } = new();

    /// <summary>The server names TLS clients asked for (https only).</summary>
    public ConcurrentQueue<string?> ServerNames { get; } = new();

    public static async Task<ControlledUpstream> StartAsync(string name, string probePath = "/health", X509Certificate2? certificate = null)
    {
        var upstream = new ControlledUpstream(name, probePath, certificate);
        await upstream.StartAgainAsync();
        return upstream;
    }

    /// <summary>Starts listening (again, on the same port after <see cref="StopAsync"/>).</summary>
    public async Task StartAgainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port, listen =>
        {
            if (_certificate is null) return;
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificateSelector = (_, name) =>
                {
                    ServerNames.Enqueue(name);
                    return _certificate;
                },
            });
        }));
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        Port = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()).Port;
        _app = app;
    }

    /// <summary>Stops listening and drops every connection, like a killed process.</summary>
    public async Task StopAsync()
    {
        if (_app is not { } app) return;
        _app = null;
        await app.StopAsync(TimeSpan.Zero);
        await app.DisposeAsync();
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path == ProbePath)
        {
            Interlocked.Increment(ref _probes);
            // Copied: the server reuses the request's header collection once the request is over.
            ProbeHeaders.Enqueue(context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()));
        }
        else
        {
            Interlocked.Increment(ref _requests);
        }
        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }
        context.Response.StatusCode = Status;
        await context.Response.WriteAsync(Name, context.RequestAborted);
    }
}
