using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Plugins.Cors;

public sealed record CorsConfig : IEntityRules
{
    [Description("Allowed origins: exact origins, '*', or regular expressions such as 'https://.*\\\\.example\\\\.com'.")]
    public string[] Origins { get; init; } = [];

    [OneOf("GET", "HEAD", "PUT", "PATCH", "POST", "DELETE", "OPTIONS", "TRACE", "CONNECT")]
    public string[] Methods { get; init; } = ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE", "OPTIONS", "TRACE", "CONNECT"];

    [Description("Allowed request headers; when empty, whatever the preflight asks for is allowed.")]
    public string[] Headers { get; init; } = [];

    public string[] ExposedHeaders { get; init; } = [];

    [Description("Send Access-Control-Allow-Credentials: true.")]
    public bool Credentials { get; init; }

    [Between(0, int.MaxValue), Description("Seconds a preflight answer may be cached.")]
    public int? MaxAge { get; init; }

    [Description("Forward preflight requests to the upstream instead of answering them.")]
    public bool PreflightContinue { get; init; }

    [Description("Answer Access-Control-Request-Private-Network with Access-Control-Allow-Private-Network: true.")]
    public bool PrivateNetwork { get; init; }

    public void Check(FieldErrors errors)
    {
        foreach (var origin in Origins)
            if (CorsOrigins.Check(origin) is { } message) errors.Add("origins", message);
    }
}
