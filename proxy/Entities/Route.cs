using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Entities;

[Description("Rules that match client requests and send them to a service.")]
public sealed record Route : Entity, IEntityRules
{
    /// <summary>The largest <see cref="TollgatePriority"/>: Kong's bound for the priority of its expression routes.</summary>
    public const long MaxTollgatePriority = (1L << 46) - 1;

    [Unique, CheckedBy(typeof(Names), nameof(Names.CheckName))]
    public string? Name { get; init; }

    [OneOf("http", "https", "grpc", "grpcs", "ws", "wss")]
    public string[] Protocols { get; init; } = ["http", "https"];

    [Matches("^[A-Z]+$", "invalid value: methods must be uppercase letters only")]
    public string[]? Methods { get; init; }

    [CheckedBy(typeof(Names), nameof(Names.CheckRouteHost))]
    public string[]? Hosts { get; init; }

    [CheckedBy(typeof(Names), nameof(Names.CheckRoutePath)), Description("Path prefixes, or regular expressions written with a leading '~'.")]
    public string[]? Paths { get; init; }

    [Description("Header name to accepted values; a value written '~*…' is a case-insensitive regular expression.")]
    public Dictionary<string, string[]>? Headers { get; init; }

    [Description("Query parameter name (matched exactly) to accepted values; a value written '~…' is a regular expression. A Tollgate extension.")]
    public Dictionary<string, string[]>? TollgateQueries { get; init; }

    [Between(0, MaxTollgatePriority),
     Description("Orders this route by this number instead of by its fields: routes that set it are tried before routes that do not, "
                 + "those with only plain hosts first, then those with a wildcard host, then those without hosts, each highest number first. A Tollgate extension.")]
    public long? TollgatePriority { get; init; }

    [OneOf(426, 301, 302, 307, 308)]
    public int HttpsRedirectStatusCode { get; init; } = 426;

    [Between(int.MinValue, int.MaxValue), Description("Among matching regex paths, higher is tried first.")]
    public int RegexPriority { get; init; }

    [Description("Remove the matched path prefix before forwarding.")]
    public bool StripPath { get; init; } = true;

    [OneOf("v0", "v1")]
    public string PathHandling { get; init; } = "v0";

    [Description("Send the client's Host header upstream instead of the upstream's host.")]
    public bool PreserveHost { get; init; }

    [Description("Accept request paths holding an encoded '/' or '\\' (%2F, %5C) and forward them still encoded; other routes answer such paths 400.")]
    public bool AllowEncodedSlashes { get; init; }

    public bool RequestBuffering { get; init; } = true;

    public bool ResponseBuffering { get; init; } = true;

    [CheckedBy(typeof(Names), nameof(Names.CheckSni))]
    public string[]? Snis { get; init; }

    [References("services")]
    public EntityRef? Service { get; init; }

    public void Check(FieldErrors errors)
    {
        var hasMatcher = Methods is { Length: > 0 } || Hosts is { Length: > 0 } || Paths is { Length: > 0 }
                         || Headers is { Count: > 0 } || Snis is { Length: > 0 } || TollgateQueries is { Count: > 0 };
        if (!hasMatcher)
            errors.AddEntity("must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'http' or 'https'");
        if (Snis is { Length: > 0 } && !Protocols.Any(p => p is "https" or "grpcs" or "wss"))
            errors.Add("snis", "'snis' can only be set when 'protocols' is 'https', 'grpcs' or 'wss'");
        if (Headers is not null)
        {
            foreach (var name in Headers.Keys)
            {
                if (name.Equals("host", StringComparison.OrdinalIgnoreCase))
                    errors.Add("headers", "cannot contain 'host' header, which must be specified in the 'hosts' attribute");
            }
        }
        if (TollgateQueries is not null)
        {
            // The schema refuses empty names and empty lists; the patterns are checked here.
            foreach (var values in TollgateQueries.Values)
                foreach (var value in values ?? [])
                    if (value.StartsWith('~') && Names.CheckRegex(value[1..]) is { } problem) errors.Add("tollgate_queries", problem);
        }
    }
}
