namespace Gateway.Operator.Tests.ApiServer;

/// <summary>A test class whose every test gets a fresh API server and a plain HTTP client for it.</summary>
public abstract class ServerTest : IAsyncLifetime
{
    protected KubeApiServer.KubeApiServer Server { get; private set; } = null!;
    protected RawApi Api { get; private set; } = null!;

    /// <summary>The User-Agent the client sends, which names the field manager of its writes.</summary>
    protected virtual string? UserAgent => null;

    public virtual async Task InitializeAsync()
    {
        Server = await KubeApiServer.KubeApiServer.StartAsync();
        Api = new RawApi(Server.Url, userAgent: UserAgent);
    }

    public async Task DisposeAsync()
    {
        Api.Dispose();
        await Server.DisposeAsync();
    }
}
