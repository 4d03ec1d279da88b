using System.Text.Json.Serialization;

namespace Gateway.Operator.Translation;

// The Kong entities the translation produces, shaped as the proxy's declarative format reads them (field names are
// Kong's, written snake_case). Fields Kong would default are written out anyway where the translation chooses a value
// that differs from Kong's default (strip_path, preserve_host), so the document says what the routes do.

/// <summary>A reference to another entity of the document, by id.</summary>
public sealed record KongRef(Guid Id);

public sealed record KongService
{
    public const int DefaultRetries = 5;
    public const int DefaultTimeout = 60000;

    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public string Protocol { get; init; } = "http";
    /// <summary>The name of the upstream that balances over the Service's endpoints.</summary>
    public required string Host { get; init; }
    public required int Port { get; init; }
    public string? Path { get; init; }
    public int Retries { get; init; } = DefaultRetries;
    public int ConnectTimeout { get; init; } = DefaultTimeout;
    public int WriteTimeout { get; init; } = DefaultTimeout;
    public int ReadTimeout { get; init; } = DefaultTimeout;
    public required string[] Tags { get; init; }
}

public sealed record KongRoute
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required string[] Protocols { get; init; }
    public string[]? Methods { get; init; }
    public string[]? Hosts { get; init; }
    public required string[] Paths { get; init; }
    /// <summary>Header name to accepted values; a value written <c>~*…</c> is a regular expression.</summary>
    public Dictionary<string, string[]>? Headers { get; init; }
    public int HttpsRedirectStatusCode { get; init; } = 426;
    public int RegexPriority { get; init; }
    /// <summary>Query parameter name to accepted values (a Tollgate extension of the route).</summary>
    [JsonPropertyName("tollgate_queries")]
    public Dictionary<string, string[]>? Queries { get; init; }
    /// <summary>The route's place in the order the proxy tries routes, higher first (a Tollgate extension of the route).</summary>
    public long? TollgatePriority { get; init; }
    public bool StripPath { get; init; }
    public bool PreserveHost { get; init; } = true;
    public required KongRef Service { get; init; }
    /// <summary>
    /// Seconds since the epoch; the proxy tries older routes first among routes of equal priority. Set from the
    /// source object's creation time where its order matters (the Gateway API's "oldest route first").
    /// </summary>
    public long? CreatedAt { get; init; }
    public required string[] Tags { get; init; }
}

public sealed record KongUpstream
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public string? HostHeader { get; init; }
    public required string[] Tags { get; init; }
}

public sealed record KongTarget
{
    public required Guid Id { get; init; }
    /// <summary>host:port, an IPv6 address in brackets.</summary>
    [JsonPropertyName("target")]
    public required string Address { get; init; }
    public int Weight { get; init; } = 100;
    public required KongRef Upstream { get; init; }
    public required string[] Tags { get; init; }
}

public sealed record KongCertificate
{
    public required Guid Id { get; init; }
    public required string Cert { get; init; }
    public required string Key { get; init; }
    public required string[] Tags { get; init; }
}

public sealed record KongSni
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required KongRef Certificate { get; init; }
    public required string[] Tags { get; init; }
}
