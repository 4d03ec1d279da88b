using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Proxy.Transforms;

/// <summary>
/// Kong's transformer operations on headers, for requests and responses alike. "replace" changes only headers that
/// are present, "add" only headers that are not, "append" adds a value to the ones there.
/// </summary>
public static class HeaderFields
{
    public static void Rename(IHeaderDictionary headers, string from, string to)
    {
        if (!headers.TryGetValue(from, out var value)) return;
        headers.Remove(from);
        headers[to] = value;
    }

    public static void Replace(IHeaderDictionary headers, string name, string value)
    {
        if (headers.ContainsKey(name)) headers[name] = value;
    }

    public static void Add(IHeaderDictionary headers, string name, string value)
    {
        if (!headers.ContainsKey(name)) headers[name] = value;
    }

    public static void Append(IHeaderDictionary headers, string name, string value) =>
        headers[name] = StringValues.Concat(headers[name], value);
}
