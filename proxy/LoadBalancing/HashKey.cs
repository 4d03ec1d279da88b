using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.LoadBalancing;

/// <summary>Where consistent hashing takes its input from (an upstream's hash_on or hash_fallback).</summary>
public sealed record HashKey(string Source, string? Name)
{
    public static readonly HashKey None = new("none", null);

    /// <summary>The request's value for this key, or null when the request has none.</summary>
    public string? Read(HttpContext context)
    {
        string? value = Source switch
        {
            "ip" => context.Connection.RemoteIpAddress?.ToString(),
            "header" => context.Request.Headers[Name!].ToString(),
            "cookie" => context.Request.Cookies[Name!],
            "path" => context.Request.Path.Value,
            "query_arg" => context.Request.Query[Name!].ToString(),
            _ => null,
        };
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
