using Gateway.Proxy.Entities;
using Gateway.Proxy.Routing;
using Gateway.Proxy.Schema;
using Microsoft.AspNetCore.Http;
using Route = Gateway.Proxy.Entities.Route;

namespace Gateway.Proxy.Tests.Routing;

/// <summary>Builds configurations and requests for routing tests.</summary>
internal static class RoutingFixtures
{
    public static readonly Service Backend = new() { Id = Guid.NewGuid(), Name = "backend", Host = "backend.internal", Port = 80 };

    private static long _clock = 1_700_000_000;

    /// <summary>A route on <see cref="Backend"/>; each one is created a second after the previous.</summary>
    public static Route Route(string name, string[]? paths = null, string[]? hosts = null, string[]? methods = null,
        Dictionary<string, string[]>? headers = null, string[]? snis = null, int regexPriority = 0,
        string[]? protocols = null, Guid? id = null, long? createdAt = null) => new()
    {
        Id = id ?? Guid.NewGuid(),
        CreatedAt = createdAt ?? Interlocked.Increment(ref _clock),
        Name = name,
        Paths = paths,
        Hosts = hosts,
        Methods = methods,
        Headers = headers,
        Snis = snis,
        RegexPriority = regexPriority,
        Protocols = protocols ?? ["http", "https"],
        Service = new EntityRef(Backend.Id),
    };

    public static RoutingTable Table(params Entity[] entities)
    {
        var all = new List<Entity>(entities);
        if (!all.Exists(e => e is Service)) all.Add(Backend);
        return RoutingTable.Build(ConfigData.From(1, all));
    }

    public static RouteRequest Request(string path, string host = "example.com", string method = "GET", bool https = false,
        string? sni = null, int localPort = 8000, params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers) dictionary.Append(name, value);
        // A query written after the path ("/p?a=1") is the request's query string.
        var query = path.IndexOf('?');
        return query < 0
            ? new RouteRequest(method, https, host, localPort, path, sni, dictionary)
            : new RouteRequest(method, https, host, localPort, path[..query], sni, dictionary, path[query..]);
    }

    /// <summary>The name of the route the request matches, or null for no match.</summary>
    public static string? Matched(this RoutingTable table, RouteRequest request) =>
        table.TryMatch(request, out var match) ? match.Route.Route.Name : null;
}
