using System.Globalization;

namespace Gateway.Adversarial.Generation;

/// <summary>
/// Requests whose framing two HTTP parsers may read differently, each hiding a second request (to the guarded
/// path, without credentials, marked with <see cref="ProxyFixture.SmuggledHeader"/>) where one reading ends the
/// first request's body. The upstream must never receive the hidden request.
/// </summary>
public static class SmugglingShapes
{
    private const string Outer = "POST /public/smuggle HTTP/1.1";

    /// <summary>The head lines (after the request line) and body of one shape; <paramref name="hidden"/> is the inner request.</summary>
    public static (string RequestLine, List<string> Lines, string Body) Next(CaseRandom random, string hidden)
    {
        var chunkedHidden = Hex(hidden.Length) + "\r\n" + hidden + "\r\n0\r\n\r\n";
        var terminatedThenHidden = "0\r\n\r\n" + hidden;
        return random.Next(12) switch
        {
            // CL.TE: a front end that reads Content-Length passes the hidden request on inside the body.
            0 => (Outer, [$"Content-Length: {terminatedThenHidden.Length}", random.Pick(ChunkedSpellings)], terminatedThenHidden),
            // TE.CL: a back end that reads Content-Length stops early and reads the chunk as a request.
            1 => (Outer, [random.Pick(ChunkedSpellings), $"Content-Length: {random.Between(3, 6)}"], chunkedHidden),
            2 => (Outer, ["Content-Length: 0", $"Content-Length: {hidden.Length}"], hidden),
            3 => (Outer, [$"Content-Length: {hidden.Length}", "Content-Length: 0"], hidden),
            4 => (Outer, [$"Content-Length: 0, {hidden.Length}"], hidden),
            5 => (Outer, [random.Pick(OddLengths)], hidden),
            6 => (Outer, ["Transfer-Encoding: chunked"], random.Pick(BadChunks) + hidden),
            7 => (Outer, ["X-Fold: a", " Transfer-Encoding: chunked", $"Content-Length: {terminatedThenHidden.Length}"], terminatedThenHidden),
            8 => (Outer, [$"Content-Length: {terminatedThenHidden.Length}\nTransfer-Encoding: chunked"], terminatedThenHidden),
            9 => (random.Pick<string>(["GET /public/smuggle HTTP/1.1", "HEAD /public/smuggle HTTP/1.1", "OPTIONS /public/smuggle HTTP/1.1"]),
                [$"Content-Length: {hidden.Length}"], hidden),
            10 => (Outer, ["Expect: 100-continue", $"Content-Length: {terminatedThenHidden.Length}", "Transfer-Encoding: chunked"], terminatedThenHidden),
            // Two requests back to back: the gateway must authenticate the second like any other.
            _ => ("GET /public/pipelined HTTP/1.1", [], hidden),
        };
    }

    /// <summary>Ways of writing "chunked" that parsers disagree on.</summary>
    public static readonly IReadOnlyList<string> ChunkedSpellings =
    [
        "Transfer-Encoding: chunked", "Transfer-Encoding: chunked, identity", "Transfer-Encoding: identity, chunked",
        "Transfer-Encoding: xchunked", "Transfer-Encoding: chunked ", "Transfer-Encoding : chunked", "Transfer-Encoding:\tchunked",
        "Transfer-Encoding: CHUNKED", "Transfer-Encoding: \"chunked\"", "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity",
        "Transfer_Encoding: chunked", "Transfer-Encoding:\r\n chunked", "Transfer-Encoding: chunked;q=1", "Transfer-Encoding: gzip, chunked",
        "Transfer-Encoding: chunked\x00", "Transfer-Encoding: chunk", "Transfer-Encoding: \u000Bchunked",
    ];

    private static readonly string[] OddLengths =
    [
        "Content-Length: +5", "Content-Length: 5.0", "Content-Length: 0x10", "Content-Length: -1", "Content-Length: 99999999999999999999",
        "Content-Length:  5", "Content-Length: 5 5", "Content-Length: 0\r\nContent-Length: 0", "Content-Length:", "Content-Length: 1e2",
    ];

    private static readonly string[] BadChunks =
    [
        "0x5\r\nhello\r\n0\r\n\r\n", "-1\r\n", "fffffffffffffffff\r\nx\r\n0\r\n\r\n", "5 ;ext\r\nhello\r\n0\r\n\r\n", "5;\r\nhello\r\n0\r\n\r\n",
        "\r\n0\r\n\r\n", "1\r\nAB\r\n0\r\n\r\n", "0\n\n", "000000000000000000000005\r\nhello\r\n0\r\n\r\n", "5\r\nhelloX0\r\n\r\n",
        "5\nhello\n0\n\n", "0\r\nX-Trailer: a\r\n\r\n", "0\r\nTransfer-Encoding: chunked\r\n\r\n", " 5\r\nhello\r\n0\r\n\r\n",
        "5\r\nhello\r\n0;\r\n\r\n", "+5\r\nhello\r\n0\r\n\r\n",
    ];

    private static string Hex(int value) => value.ToString("x", CultureInfo.InvariantCulture);
}
