namespace Gateway.Adversarial.Generation;

/// <summary>
/// The configuration the proxy harness attacks, as in the attack it guards against: one service with a route
/// <c>/admin</c> behind key-auth and an open catch-all route <c>/</c>, both to the same upstream and neither
/// stripping its path, so the upstream sees the path the gateway routed. No retries: each request the gateway
/// accepts reaches the upstream at most once.
/// </summary>
public static class ProxyFixture
{
    public const string GuardedPrefix = "/admin";
    public const string KeyHeader = "apikey";
    public const string ValidKey = "alice-key";

    /// <summary>The header every harness request carries with its case index, so the upstream's records can be attributed.</summary>
    public const string CaseHeader = "X-Harness-Case";

    /// <summary>The header of a request hidden inside another one's body; it must never reach the upstream.</summary>
    public const string SmuggledHeader = "X-Harness-Smuggled";

    /// <summary>The text every forged identity or forwarded value contains, and no value the gateway sets does.</summary>
    public const string ForgedMark = "forged";

    public static string DeclarativeYaml(int upstreamPort) => $"""
        _format_version: "3.0"
        services:
        - name: app
          url: http://127.0.0.1:{upstreamPort}
          retries: 0
          routes:
          - name: guarded
            paths: [{GuardedPrefix}]
            strip_path: false
            plugins:
            - name: key-auth
          - name: open
            paths: [/]
            strip_path: false
        consumers:
        - username: alice
          keyauth_credentials:
          - key: {ValidKey}
        """;
}
