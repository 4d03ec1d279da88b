using Gateway.Proxy.Consumers;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Plugins.BasicAuth;

public sealed record BasicAuthConfig
{
    [Description("Consumer id or username to use when authentication fails, instead of answering 401.")]
    public string? Anonymous { get; init; }

    [Description("Remove the credentials header (Authorization or Proxy-Authorization) before the request is forwarded.")]
    public bool HideCredentials { get; init; }

    [Length(1, 256), CheckedBy(typeof(AuthenticationOutcome), nameof(AuthenticationOutcome.CheckRealm))]
    [Description("The realm of the WWW-Authenticate: Basic challenge sent with a 401.")]
    public string Realm { get; init; } = "service";
}
