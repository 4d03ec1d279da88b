using System.Text.Json.Nodes;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Entities;

/// <summary>Kong's <c>url</c> shorthand on services: one URL instead of protocol, host, port and path.</summary>
public static class ServiceUrl
{
    public static void Expand(JsonObject input, FieldErrors errors)
    {
        if (!input.ContainsKey("url")) return;
        var node = input["url"];
        input.Remove("url");
        if (node is null) return;
        if (node is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            errors.Add("url", "expected a string");
            return;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            errors.Add("url", "missing host in url");
            return;
        }
        input["protocol"] = uri.Scheme;
        input["host"] = uri.Host;
        input["port"] = uri.IsDefaultPort ? DefaultPort(uri.Scheme) : uri.Port;
        var path = uri.AbsolutePath;
        input["path"] = path.Length == 0 || (path == "/" && !text.TrimEnd().EndsWith('/')) ? null : path;
    }

    private static int DefaultPort(string scheme) => scheme is "https" or "grpcs" or "wss" ? 443 : 80;
}
