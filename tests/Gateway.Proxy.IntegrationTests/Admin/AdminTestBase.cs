using Gateway.Proxy.Admin;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Store;
using Gateway.Proxy.Store.Postgres;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>Each test: a fresh migrated Postgres database and an Admin API server over it.</summary>
[Collection(AdminPostgresCollection.Name)]
public abstract class AdminTestBase(AdminPostgres postgres) : IAsyncLifetime
{
    private AdminApiHost? _host;
    private PostgresConfigStore? _store;

    protected AdminApiHost Host => _host ?? throw new InvalidOperationException("not started");
    protected AdminClient Client => Host.Client;
    protected IConfigStore Store => Host.Store;

    /// <summary>The node's options: one sample plugin is available, rate-limiting is not (yet).</summary>
    protected virtual AdminApiOptions Options => new() { Plugins = [SampleLimits.Plugin] };

    public async Task InitializeAsync()
    {
        _store = await postgres.NewStoreAsync();
        _host = await AdminApiHost.StartAsync(_store, Options);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        if (_store is not null) await postgres.ReleaseAsync(_store);
    }

    /// <summary>Sends a write that must be refused with <paramref name="status"/> and proves the stored configuration did not change.</summary>
    protected async Task<AdminReply> RefusedAsync(int status, Func<Task<AdminReply>> write)
    {
        var before = await AdminPostgres.StateAsync(Store);
        var reply = (await write()).Expect(status);
        Assert.Equal(before, await AdminPostgres.StateAsync(Store));
        return reply;
    }

    protected async Task<string> CreateAsync(string path, string json) => (await Client.PostJsonAsync(path, json)).Expect(201).Id;

    protected Task<string> ServiceAsync(string name, string url = "http://upstream.test:8080/base") =>
        CreateAsync("/services", $$$"""{"name":"{{{name}}}","url":"{{{url}}}"}""");
}

/// <summary>A plugin for tests, shaped like rate-limiting, so plugin CRUD can be exercised before real plugins exist.</summary>
public sealed record SampleLimits : IEntityRules
{
    public static readonly AdminPlugin Plugin = new("sample-limits", RecordSchema.For<SampleLimits>(), Priority: 901);

    [Between(0, int.MaxValue)]
    public int? Second { get; init; }

    [Between(0, int.MaxValue)]
    public int? Minute { get; init; }

    [Between(0, int.MaxValue)]
    public int? Hour { get; init; }

    [OneOf("local", "cluster", "redis")]
    public string Policy { get; init; } = "local";

    public bool FaultTolerant { get; init; } = true;

    public void Check(FieldErrors errors)
    {
        if (Second is null && Minute is null && Hour is null)
            errors.AddEntity("at least one of these fields must be non-empty: 'second', 'minute', 'hour'");
    }
}
