using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Admin.Http;

/// <summary>One Admin API request as the handlers see it: method, decoded path segments, query and body.</summary>
public sealed class AdminRequest(HttpContext context, IReadOnlyList<string> segments)
{
    public HttpContext Context { get; } = context;

    /// <summary>The method, with HEAD answered as GET.</summary>
    public string Method { get; } = HttpMethods.IsHead(context.Request.Method) ? "GET" : context.Request.Method.ToUpperInvariant();

    public IReadOnlyList<string> Segments { get; } = segments;

    public CancellationToken Aborted => Context.RequestAborted;

    public string? Query(string name)
    {
        var values = Context.Request.Query[name];
        return values.Count == 0 ? null : values[0];
    }

    /// <summary>A boolean query flag as Kong reads them: true, 1, on and yes are true.</summary>
    public bool Flag(string name) =>
        Query(name)?.Trim().ToLowerInvariant() is "true" or "1" or "on" or "yes";

    public Task<RequestBody> ReadBodyAsync() => RequestBody.ReadAsync(Context.Request, Aborted);

    public Task<string> ReadTextAsync() => RequestBody.ReadTextAsync(Context.Request, Aborted);
}
