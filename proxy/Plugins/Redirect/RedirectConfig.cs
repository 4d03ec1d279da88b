using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Plugins.Redirect;

public sealed record RedirectConfig : IEntityRules
{
    [OneOf(301, 302, 303, 307, 308), Description("The status of the redirect.")]
    public int StatusCode { get; init; } = 301;

    [CheckedBy(typeof(RedirectConfig), nameof(CheckLocation)), Description("The absolute URL to redirect to.")]
    public string? Location { get; init; }

    [Description("Use the request's path and query string instead of those of location.")]
    public bool KeepIncomingPath { get; init; }

    /// <summary>
    /// Tollgate's own addition to Kong's plugin, used instead of <see cref="Location"/>: the Location is the request's
    /// own URL with some parts replaced, as the Gateway API's RequestRedirect filter describes it. Kong's fields cannot
    /// say "the host the client asked for, on another scheme or port", which a route serving any host needs.
    /// </summary>
    [Description("Tollgate only, instead of location: redirect to the request's own URL with the scheme, hostname, port or path given here replaced (the Gateway API's RequestRedirect).")]
    public RequestRedirect? TollgateRequestRedirect { get; init; }

    public static string? CheckLocation(string value) =>
        RedirectTexts.IsUrlText(value) && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Host.Length > 0
            ? null
            : "should be an absolute URL with a scheme and a host, such as https://example.com/path";

    public void Check(FieldErrors errors)
    {
        if (TollgateRequestRedirect is { } redirect)
        {
            if (Location is not null) errors.AddEntity("location cannot be used with tollgate_request_redirect");
            if (KeepIncomingPath) errors.AddEntity("keep_incoming_path cannot be used with tollgate_request_redirect");
            errors.AddNested("tollgate_request_redirect", redirect.Problems());
        }
        else if (Location is null)
        {
            errors.Add("location", "required field missing");
        }
    }
}

/// <summary>The parts of the request's URL a redirect replaces; those left unset are the request's own.</summary>
public sealed record RequestRedirect
{
    [OneOf("http", "https"), Description("The scheme; by default the request's.")]
    public string? Scheme { get; init; }

    [CheckedBy(typeof(Names), nameof(Names.CheckHost)), Description("The host name; by default the one the request was sent to.")]
    public string? Hostname { get; init; }

    [Between(1, 65535),
     Description("The port; by default the scheme's own (80, 443) when scheme is set, otherwise the port the request was sent to. A scheme's own port is left out of the URL.")]
    public int? Port { get; init; }

    [CheckedBy(typeof(RequestRedirect), nameof(CheckPath)), Description("A path replacing the request's whole path.")]
    public string? ReplaceFullPath { get; init; }

    [CheckedBy(typeof(RequestRedirect), nameof(CheckPath)),
     Description("The path prefix the route matched (whole segments), which replace_prefix_match replaces.")]
    public string? PrefixMatch { get; init; }

    [CheckedBy(typeof(RequestRedirect), nameof(CheckReplacement)), Description("What replaces prefix_match: a path, or \"\" to remove it.")]
    public string? ReplacePrefixMatch { get; init; }

    public static string? CheckPath(string value) =>
        value.StartsWith('/') && RedirectTexts.IsPathText(value) ? null : "should start with: / (and hold no spaces, control characters, '?' or '#')";

    public static string? CheckReplacement(string value) => value.Length == 0 ? null : CheckPath(value);

    public FieldErrors Problems()
    {
        var errors = new FieldErrors();
        if (ReplaceFullPath is not null && (PrefixMatch is not null || ReplacePrefixMatch is not null))
            errors.AddEntity("replace_full_path cannot be used with prefix_match and replace_prefix_match");
        if (PrefixMatch is not null && ReplacePrefixMatch is null) errors.Add("replace_prefix_match", "required field missing: prefix_match is set");
        if (ReplacePrefixMatch is not null && PrefixMatch is null) errors.Add("prefix_match", "required field missing: replace_prefix_match is set");
        return errors;
    }
}
