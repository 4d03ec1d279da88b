using System.Text;

namespace Gateway.Operator.Translation;

/// <summary>
/// The id key and the name of each route of one Ingress, made from what the route matches (host, pathType, path)
/// rather than from where it stands in the Ingress, so that inserting, removing or reordering paths leaves every other
/// route as it is. A host and path the Ingress holds twice get a numbered key and name the second time.
/// </summary>
internal sealed class IngressRouteIdentity(SourceObject source)
{
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>
    /// The route of a rule's path. The name is the namespace, the Ingress and a dot-free rendering of host and path,
    /// so that it reads back unambiguously from the right and no two Ingresses can produce the same one.
    /// </summary>
    public (string Key, string Name) Path(string? host, string? pathType, string? path)
    {
        path = string.IsNullOrEmpty(path) ? "/" : path;
        pathType ??= IngressPaths.ImplementationSpecific;
        var key = Unique(_keys, $"Ingress/{source.Namespace}/{source.Name}/hosts/{host}/{pathType}/{path}", "#");
        var name = Unique(_names, $"{source.Namespace}.{source.Name}.{NamePart(host)}{NamePart(path)}", "-");
        return (key, name);
    }

    /// <summary>The route of the default backend; no path's name part is "default-backend" (those start with '_' or '~', or end with one).</summary>
    public (string Key, string Name) DefaultBackend() =>
        ($"Ingress/{source.Namespace}/{source.Name}/default-backend", $"{source.Namespace}.{source.Name}.default-backend");

    private static string Unique(HashSet<string> taken, string wanted, string separator)
    {
        var candidate = wanted;
        for (var n = 2; !taken.Add(candidate); n++) candidate = wanted + separator + n;
        return candidate;
    }

    /// <summary>Kong names allow letters, digits and <c>-_~.</c>; dots are left out so that the name parses back.</summary>
    private static string NamePart(string? text)
    {
        if (text is null) return "";
        var part = new StringBuilder(text.Length);
        foreach (var c in text)
            part.Append(c == '/' ? '_' : char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '~' ? c : '-');
        return part.ToString();
    }
}
