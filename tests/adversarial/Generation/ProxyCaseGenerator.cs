using System.Text;

namespace Gateway.Adversarial.Generation;

/// <summary>
/// The hostile proxy requests of a run: case <c>i</c> of seed <c>s</c> is always the same bytes. Every request
/// carries <see cref="ProxyFixture.CaseHeader"/> so what reaches the upstream can be traced to its case.
/// </summary>
public static class ProxyCaseGenerator
{
    private static readonly (Func<CaseRandom, int, ProxyCase> Attack, int Weight)[] Attacks =
    [
        (Path, 34),
        (Identity, 12),
        (Forwarded, 10),
        (Flood, 4),
        (Oversized, 4),
        (Method, 8),
        (Version, 4),
        (Smuggling, 15),
        (Mutation, 8),
        (Slow, 1),
    ];

    public static readonly IReadOnlyList<string> Classes =
        ["path", "identity", "forwarded", "flood", "oversized", "method", "version", "smuggling", "mutation", "slow"];

    /// <summary>The headers only the gateway may set (Kong's consumer headers and X-Authenticated-*).</summary>
    public static readonly IReadOnlyList<string> IdentityHeaders =
    [
        "X-Consumer-ID", "X-Consumer-Custom-ID", "X-Consumer-Username", "X-Consumer-Groups", "X-Credential-Identifier",
        "X-Anonymous-Consumer", "X-Anonymous-Groups", "X-Authenticated-Userid", "X-Authenticated-Scope", "X-Authenticated-Groups",
    ];

    /// <summary>The forwarded headers a client outside <c>GATEWAY_TRUSTED_IPS</c> must not be believed on.</summary>
    public static readonly IReadOnlyList<string> ForwardedHeaders =
        ["X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port", "X-Forwarded-Prefix", "X-Real-IP"];

    private static readonly string[] OddMethods =
    [
        "get", "Get", "FOO", "TRACE", "CONNECT", "PROPFIND", "DELETE", "PATCH", "PUT", "OPTIONS", "HEAD", "GET\0", "G\tET", "GET\x7f",
        new string('A', 1000), "\xc3\xa9", "M-SEARCH", "PRI", "QUERY", "post", "", "GET GET", "POST", "DEBUG", "TRACK",
    ];

    private static readonly string[] OddVersions =
    [
        "HTTP/1.0", "HTTP/1.2", "HTTP/2.0", "HTTP/0.9", "http/1.1", "HTTP/1.1 ", "HTTP/1.10", "HTTP/11", "HTTP/1", "", "HTTP/3.0",
        "HTTP/1.1\0", "HTTP/1.1 HTTP/1.1", "HTTP/01.1", "HTTPS/1.1",
    ];

    private static readonly byte[] MutationBytes = [0x00, 0x09, 0x0A, 0x0D, 0x20, 0x7F, 0x80, 0xFF, (byte)'/', (byte)'.', (byte)'%', (byte)'\\', (byte)';', (byte)'#', (byte)'?', (byte)':'];

    public static ProxyCase Generate(int seed, int index)
    {
        var random = new CaseRandom(seed, "proxy", index);
        return random.Weighted(Attacks)(random, index);
    }

    private static ProxyCase Path(CaseRandom random, int index)
    {
        var path = HostilePaths.Next(random);
        var target = random.Next(100) switch
        {
            < 85 => path,
            < 95 => random.Pick<string>(["http://127.0.0.1", "http://evil.example", "https://127.0.0.1:1", "HTTP://x"]) + path,
            _ => "*",
        };
        var method = target == "*" ? random.Pick<string>(["OPTIONS", "GET"]) : random.Weighted<string>([("GET", 80), ("HEAD", 5), ("POST", 5), ("DELETE", 5), ("OPTIONS", 5)]);
        var (credentials, credentialed) = Credentials(random);
        var lines = new List<string>(credentials);
        if (method == "POST") lines.Add("Content-Length: 0");
        if (random.Chance(10)) lines.Add(random.Pick<string>(["Host: evil.example", "Host: 127.0.0.1@evil.example", "Host: 127.0.0.1\r\nHost: evil.example"]));
        return Single(index, "path", $"{method} {target} HTTP/1.1", lines, "", credentialed, isHead: method == "HEAD", host: !lines.Any(l => l.StartsWith("Host:")));
    }

    private static ProxyCase Identity(CaseRandom random, int index)
    {
        var (target, credentials, credentialed) = AuthenticatedOrOpen(random, index);
        var lines = new List<string>(credentials);
        var count = random.Between(1, 5);
        for (var i = 0; i < count; i++)
        {
            var name = Casing(random, random.Pick(IdentityHeaders));
            var value = random.Pick<string>([$"{ProxyFixture.ForgedMark}-{index}", $"admins, {ProxyFixture.ForgedMark}-{index}", $"{ProxyFixture.ForgedMark}"]);
            lines.Add($"{name}: {value}");
            if (random.Chance(20)) lines.Add($"{name}: {ProxyFixture.ForgedMark}-again");
        }
        return Single(index, "identity", $"GET {target} HTTP/1.1", Shuffle(random, lines), "", credentialed);
    }

    private static ProxyCase Forwarded(CaseRandom random, int index)
    {
        var (target, credentials, credentialed) = AuthenticatedOrOpen(random, index);
        var lines = new List<string>(credentials);
        var count = random.Between(1, ForwardedHeaders.Count);
        for (var i = 0; i < count; i++)
        {
            var name = random.Pick(ForwardedHeaders);
            var value = name switch
            {
                "X-Forwarded-For" => random.Pick<string>(["203.0.113.7", "203.0.113.7, 198.51.100.1", "127.0.0.1, 203.0.113.7", ProxyFixture.ForgedMark, "::1"]),
                "X-Forwarded-Proto" => random.Pick<string>(["https", "wss", ProxyFixture.ForgedMark]),
                "X-Forwarded-Port" => random.Pick<string>(["443", "1", "65535"]),
                "X-Real-IP" => random.Pick<string>(["203.0.113.9", "10.0.0.1", ProxyFixture.ForgedMark]),
                "X-Forwarded-Prefix" => $"/{ProxyFixture.ForgedMark}-{index}",
                _ => $"{ProxyFixture.ForgedMark}-{index}.example",
            };
            lines.Add($"{Casing(random, name)}: {value}");
        }
        return Single(index, "forwarded", $"GET {target} HTTP/1.1", Shuffle(random, lines), "", credentialed);
    }

    private static ProxyCase Flood(CaseRandom random, int index)
    {
        var count = random.Between(1_000, 5_000);
        var lines = random.Next(3) switch
        {
            0 => Enumerable.Range(0, count).Select(i => $"X-Flood-{i}: {i}").ToList(),
            1 => Enumerable.Repeat("X-Flood: x", count).ToList(),
            _ => Enumerable.Range(0, count).Select(i => $"Cookie: c{i}=v").ToList(),
        };
        var target = random.Chance(50) ? "/public/flood" : ProxyFixture.GuardedPrefix + "/flood";
        return Single(index, "flood", $"GET {target} HTTP/1.1", lines, "", credentialed: false);
    }

    private static ProxyCase Oversized(CaseRandom random, int index)
    {
        var size = random.Weighted<int>([(16 << 10, 4), (64 << 10, 3), (256 << 10, 2), (1 << 20, 1)]);
        var filler = new string((char)('a' + random.Next(26)), size);
        var guarded = random.Chance(50);
        var path = guarded ? ProxyFixture.GuardedPrefix + "/big" : "/public/big";
        return random.Next(4) switch
        {
            0 => Single(index, "oversized", $"GET {path} HTTP/1.1", [$"X-Big: {filler}"], "", false),
            1 => Single(index, "oversized", $"GET {path}/{filler} HTTP/1.1", [], "", false),
            2 => Single(index, "oversized", $"GET {path}?q={filler} HTTP/1.1", [], "", false),
            _ => Single(index, "oversized", $"GET {path} HTTP/1.1", [$"X-{filler[..Math.Min(size, 64 << 10)]}: v"], "", false),
        };
    }

    private static ProxyCase Method(CaseRandom random, int index)
    {
        var method = random.Pick(OddMethods);
        var target = method == "CONNECT" && random.Chance(50)
            ? "127.0.0.1:80"
            : random.Chance(70) ? ProxyFixture.GuardedPrefix + "/m" : HostilePaths.Next(random);
        var lines = method is "POST" or "PUT" or "PATCH" ? new List<string> { "Content-Length: 0" } : [];
        return Single(index, "method", $"{method} {target} HTTP/1.1", lines, "", false, isHead: method == "HEAD");
    }

    private static ProxyCase Version(CaseRandom random, int index)
    {
        var version = random.Pick(OddVersions);
        var target = random.Chance(50) ? ProxyFixture.GuardedPrefix + "/v" : HostilePaths.Next(random);
        var requestLine = version.Length == 0 ? $"GET {target}" : $"GET {target} {version}";
        return Single(index, "version", requestLine, [], "", false, host: random.Chance(70));
    }

    private static ProxyCase Smuggling(CaseRandom random, int index)
    {
        var hidden = $"GET {ProxyFixture.GuardedPrefix}/smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n{ProxyFixture.SmuggledHeader}: {index}\r\n\r\n";
        var (requestLine, lines, body) = SmugglingShapes.Next(random, hidden);
        var head = Head(requestLine, lines, index, host: true);
        return new ProxyCase(index, "smuggling", [new WirePart([.. head, .. WireText.Bytes(body)])], false,
            WatchForMore: true, IsHead: requestLine.StartsWith("HEAD", StringComparison.Ordinal));
    }

    private static ProxyCase Mutation(CaseRandom random, int index)
    {
        var start = new StringBuilder(random.Chance(50) ? $"GET {ProxyFixture.GuardedPrefix}/mutated HTTP/1.1\r\nHost: 127.0.0.1\r\n" : $"GET {HostilePaths.Next(random)} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        var edits = random.Between(1, 4);
        for (var i = 0; i < edits; i++)
        {
            var at = random.Next(start.Length);
            var replacement = (char)random.Pick(MutationBytes);
            switch (random.Next(3))
            {
                case 0: start.Insert(at, replacement); break;
                case 1: start.Remove(at, 1); break;
                default: start[at] = replacement; break;
            }
        }
        var bytes = WireText.Bytes($"{start}{ProxyFixture.CaseHeader}: {index}\r\n\r\n");
        return new ProxyCase(index, "mutation", [new WirePart(bytes)], false);
    }

    /// <summary>A client that sends slowly or stops: a handful per run, none longer than about a second.</summary>
    private static ProxyCase Slow(CaseRandom random, int index)
    {
        const int pause = 150;
        var target = random.Chance(50) ? "/public/slow" : ProxyFixture.GuardedPrefix + "/slow";
        switch (random.Next(4))
        {
            case 0:
            {
                var head = Head($"POST {target} HTTP/1.1", ["Content-Length: 50"], index, host: true);
                var parts = new List<WirePart> { new(head) };
                for (var i = 0; i < 5; i++) parts.Add(new WirePart(WireText.Bytes(new string('b', 10)), pause));
                return new ProxyCase(index, "slow", parts, false);
            }
            case 1:
            {
                var head = Head($"POST {target} HTTP/1.1", ["Content-Length: 100"], index, host: true);
                return new ProxyCase(index, "slow", [new WirePart([.. head, .. WireText.Bytes(new string('b', 10))])], false, Incomplete: true);
            }
            case 2:
            {
                var head = Head($"GET {target} HTTP/1.1", ["X-Slow: 1"], index, host: true);
                var cut = head[..^2];
                var step = cut.Length / 5 + 1;
                var parts = cut.Chunk(step).Select((piece, i) => new WirePart(piece, i == 0 ? 0 : pause)).ToList();
                return new ProxyCase(index, "slow", parts, false, Incomplete: true);
            }
            default:
            {
                var head = Head($"POST {target} HTTP/1.1", ["Transfer-Encoding: chunked"], index, host: true);
                var parts = new List<WirePart> { new(head) };
                for (var i = 0; i < 4; i++) parts.Add(new WirePart(WireText.Bytes("5\r\nhello\r\n"), pause));
                parts.Add(new WirePart(WireText.Bytes("0\r\n\r\n"), pause));
                return new ProxyCase(index, "slow", parts, false);
            }
        }
    }

    /// <summary>The guarded path with the valid key, or an open path, or a hostile path, without it.</summary>
    private static (string Target, List<string> Credentials, bool Credentialed) AuthenticatedOrOpen(CaseRandom random, int index) =>
        random.Next(10) switch
        {
            < 5 => ($"{ProxyFixture.GuardedPrefix}/who-{index}", [$"{ProxyFixture.KeyHeader}: {ProxyFixture.ValidKey}"], true),
            < 8 => ($"/public/who-{index}", [], false),
            _ => (HostilePaths.Next(random), [], false),
        };

    private static (List<string> Lines, bool Credentialed) Credentials(CaseRandom random) => random.Next(100) switch
    {
        < 70 => ([], false),
        < 85 => ([$"{Casing(random, ProxyFixture.KeyHeader)}: {ProxyFixture.ValidKey}"], true),
        _ => ([$"{ProxyFixture.KeyHeader}: {random.Pick<string>(["wrong", "", "ALICE-KEY", "alice-key\0", "alice-keyx", "alice"])}"], false),
    };

    private static string Casing(CaseRandom random, string name) => random.Next(4) switch
    {
        0 => name.ToLowerInvariant(),
        1 => name.ToUpperInvariant(),
        _ => name,
    };

    private static List<string> Shuffle(CaseRandom random, List<string> lines)
    {
        for (var i = lines.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (lines[i], lines[j]) = (lines[j], lines[i]);
        }
        return lines;
    }

    private static ProxyCase Single(int index, string attack, string requestLine, List<string> lines, string body, bool credentialed,
        bool isHead = false, bool host = true) =>
        new(index, attack, [new WirePart([.. Head(requestLine, lines, index, host), .. WireText.Bytes(body)])], credentialed, IsHead: isHead);

    /// <summary>The request line, Host (unless left out), the lines as given, the case header, and the empty line.</summary>
    private static byte[] Head(string requestLine, IEnumerable<string> lines, int index, bool host)
    {
        var head = new StringBuilder(requestLine).Append("\r\n");
        if (host) head.Append("Host: 127.0.0.1\r\n");
        foreach (var line in lines) head.Append(line).Append("\r\n");
        head.Append(ProxyFixture.CaseHeader).Append(": ").Append(index).Append("\r\n\r\n");
        return WireText.Bytes(head.ToString());
    }
}
