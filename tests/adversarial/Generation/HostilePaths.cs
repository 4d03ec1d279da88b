using System.Text;

namespace Gateway.Adversarial.Generation;

/// <summary>
/// Request targets that try to reach <c>/admin</c> through the open catch-all route: the known bypasses, spellings
/// built from prefixes, separators, encodings of "admin" and suffixes, and random mutations of both. Targets are
/// byte strings; raw control characters and bytes over 0x7F appear where a generator puts them.
/// </summary>
public static class HostilePaths
{
    /// <summary>Known ways in, including every one the gateway was seen to let through.</summary>
    public static readonly IReadOnlyList<string> Known =
    [
        "//admin", "/.//admin", "/%2fadmin", "/%2Fadmin", "/public%2F..%2Fadmin", "/public/..%2Fadmin", "/\\admin", "/%5cadmin",
        "/%5Cadmin", "/%2e%2e/admin", "/%252fadmin", "/ADMIN", "/Admin", "/admin", "/admin/", "/admin/x", "/./admin",
        "/public/../admin", "/public/./../admin", "/%2e/admin", "/.%2e/admin", "/%2e%2e%2fadmin", "/public/%2e%2e/admin",
        "/public/%2E%2E/admin", "/public%2f%2e%2e%2fadmin", "/%61dmin", "/adm%69n", "/%2561dmin", "/admin%00", "/%00/admin",
        "/admin%2500", "/public%00/../admin", "/admin;x", "/;/admin", "/public;/../admin", "/admin#x", "/public#/../admin",
        "/public/..;/admin", "/%c0%afadmin", "/public%c0%af..%c0%afadmin", "/public/%c0%ae%c0%ae/admin", "/%e0%80%afadmin",
        "/public%u002f..%u002fadmin", "/public/..\\admin", "/public\\..\\admin", "/public/%5c../admin", "/public/..%5cadmin",
        "/admin%09", "/admin%20", "/%20/../admin", "/public/..%252fadmin", "/public/%252e%252e/admin", "///admin", "/./././admin",
        "/public/..//admin", "/public//../admin", "/x/y/../../admin", "/public/%2e%2e%5cadmin", "/public/%252e%252e%255cadmin",
        "/admin/..", "/admin%2f..", "/.%00./admin", "/..%00/admin", "/\\/admin", "/%5C%5Cadmin", "/%2F%2Fadmin", "/..", "/../admin",
        "/%2e%2e", "/public/%2e%2e%2f%2e%2e%2fadmin", "/%2fpublic/..%2fadmin", "/%c1%a1dmin", "/admin\\..\\public",
    ];

    private static readonly string[] Prefixes =
    [
        "", "/", "//", "/.", "/./", "/public/..", "/public%2F..", "/public/..%2F", "/x/../", "/%2e/", "/public/%2e%2e", "/.%2e",
        "\\", "/%5c", "/;", "/public;x/..", "/%252e%252e", "/public/%c0%ae%c0%ae", "/public%c0%af..", "///", "/%2F", "/public%5c..",
        "/public", "/public/",
    ];

    private static readonly string[] Separators = ["/", "//", "%2f", "%2F", "\\", "%5c", "%252f", "%c0%af", "/./", "/;/", "", "/%2e/"];

    private static readonly string[] Names =
    [
        "admin", "admin", "admin", "%61dmin", "adm%69n", "%2561dmin", "ADMIN", "Admin", "%c1%a1dmin", "admin%00", "ad%00min",
        "admin%20", "admin.", "admin%2e", "admin~", "%41DMIN", "ad%6Din",
    ];

    private static readonly string[] Suffixes =
    [
        "", "", "", "/", "/x", "?q=1", "?a=/admin", "#frag", ";jsessionid=1", "%00", "/..", "%20", "%09", "/%2e%2e", "%3f",
        "%23", "?", "/../admin", "/%2e%2e/public", "\\x", "%5c..%5c",
    ];

    private static readonly string[] Insertions =
    [
        "/", ".", "%", "%2f", "%2e", "\\", ";", "%00", "%25", "\t", " ", "\x01", "\x7f", "\xff", "?", "#", "..", "//", "%c0%ae",
        "%", "%%", "%2", "\0", "\r", "\n", "\xc0\xaf", "~", "%7e",
    ];

    /// <summary>A target aimed at the guarded path: known, composed, or either of them mutated.</summary>
    public static string Next(CaseRandom random)
    {
        var path = random.Next(100) switch
        {
            < 40 => random.Pick(Known),
            _ => random.Pick(Prefixes) + random.Pick(Separators) + random.Pick(Names) + random.Pick(Suffixes),
        };
        if (path.Length == 0 || path[0] is not ('/' or '\\' or '%')) path = "/" + path;
        return random.Chance(25) ? Mutate(random, path) : path;
    }

    /// <summary>1 to 3 insertions, deletions or replacements of characters that matter to path parsers.</summary>
    public static string Mutate(CaseRandom random, string path)
    {
        var text = new StringBuilder(path);
        var edits = random.Between(1, 3);
        for (var i = 0; i < edits; i++)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(3))
            {
                case 0:
                    text.Insert(at, random.Pick(Insertions));
                    break;
                case 1 when at < text.Length:
                    text.Remove(at, 1);
                    break;
                default:
                    if (at < text.Length) text.Remove(at, 1);
                    text.Insert(at, random.Pick(Insertions));
                    break;
            }
        }
        return text.Length == 0 ? "/" : text.ToString();
    }
}
