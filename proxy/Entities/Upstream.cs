using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Entities;

[Description("A virtual hostname whose requests are balanced over its targets. A service names it in its host.")]
public sealed partial record Upstream : Entity, IEntityRules
{
    [Required, Unique, CheckedBy(typeof(Names), nameof(Names.CheckHost))]
    public string? Name { get; init; }

    [OneOf("round-robin", "consistent-hashing", "least-connections")]
    public string Algorithm { get; init; } = "round-robin";

    [OneOf("none", "ip", "header", "cookie", "path", "query_arg"), Description("What consistent hashing hashes on.")]
    public string HashOn { get; init; } = "none";

    [OneOf("none", "ip", "header", "path", "query_arg"), Description("What to hash on when hash_on yields nothing.")]
    public string HashFallback { get; init; } = "none";

    public string? HashOnHeader { get; init; }

    public string? HashFallbackHeader { get; init; }

    public string? HashOnCookie { get; init; }

    public string HashOnCookiePath { get; init; } = "/";

    public string? HashOnQueryArg { get; init; }

    public string? HashFallbackQueryArg { get; init; }

    [Between(10, 65536), Description("Size of the consistent-hashing ring.")]
    public int Slots { get; init; } = 10000;

    [CheckedBy(typeof(Names), nameof(Names.CheckHost)), Description("Host header sent upstream instead of the target's host.")]
    public string? HostHeader { get; init; }

    [Required, Description("Active and passive health checks of the targets, and the upstream's health threshold (all off by default).")]
    public UpstreamHealthchecks Healthchecks { get; init; } = new();

    public void Check(FieldErrors errors)
    {
        RequireNamed(errors, HashOn, "header", HashOnHeader, "hash_on_header");
        RequireNamed(errors, HashOn, "cookie", HashOnCookie, "hash_on_cookie");
        RequireNamed(errors, HashOn, "query_arg", HashOnQueryArg, "hash_on_query_arg");
        RequireNamed(errors, HashFallback, "header", HashFallbackHeader, "hash_fallback_header");
        RequireNamed(errors, HashFallback, "query_arg", HashFallbackQueryArg, "hash_fallback_query_arg");
        if (HashOn == "none" && HashFallback != "none")
            errors.Add("hash_fallback", "must be 'none' when 'hash_on' is 'none'");
        if (HashOn != "none" && HashOn == HashFallback && HashOn is not ("header" or "query_arg"))
            errors.Add("hash_fallback", "must not equal 'hash_on'");
        if (Algorithm == "consistent-hashing" && HashOn == "none")
            errors.Add("hash_on", "must be set when 'algorithm' is 'consistent-hashing'");
        CheckProbeHeaders(errors);
    }

    // Probe headers are written on the wire as they are, so their names must be header names.
    private void CheckProbeHeaders(FieldErrors errors)
    {
        if (Healthchecks.Active.Headers is not { } headers) return;
        foreach (var name in headers.Keys)
        {
            if (HeaderName().IsMatch(name)) continue;
            var active = new FieldErrors();
            active.Add("headers", $"invalid header name '{name}'");
            var healthchecks = new FieldErrors();
            healthchecks.AddNested("active", active);
            errors.AddNested("healthchecks", healthchecks);
            return;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")]
    private static partial System.Text.RegularExpressions.Regex HeaderName();

    private static void RequireNamed(FieldErrors errors, string mode, string wanted, string? value, string field)
    {
        if (mode == wanted && string.IsNullOrEmpty(value)) errors.Add(field, $"required field missing when hashing on {wanted}");
    }
}
