using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Plugins.KeyAuth;

public sealed record KeyAuthConfig
{
    [Length(1, 256), Description("Header or query parameter names the key is read from, in order.")]
    public string[] KeyNames { get; init; } = ["apikey"];

    [Description("Remove the key from the request before it is forwarded.")]
    public bool HideCredentials { get; init; }

    [Description("Consumer id or username to use when authentication fails, instead of answering 401.")]
    public string? Anonymous { get; init; }

    public bool KeyInHeader { get; init; } = true;
    public bool KeyInQuery { get; init; } = true;

    [Description("Also read the key from a form-encoded or JSON request body.")]
    public bool KeyInBody { get; init; }

    [Description("Authenticate CORS preflight (OPTIONS) requests too.")]
    public bool RunOnPreflight { get; init; } = true;
}
