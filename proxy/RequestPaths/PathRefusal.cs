namespace Gateway.Proxy.RequestPaths;

/// <summary>Why a request path cannot be given one unambiguous canonical form (and is answered 400).</summary>
public enum PathRefusal : byte
{
    None,

    /// <summary>A '%' not followed by two hexadecimal digits, or escapes that do not decode to UTF-8.</summary>
    InvalidEncoding,

    /// <summary>NUL or another control character, raw or percent-encoded.</summary>
    ControlCharacter,

    /// <summary>A raw backslash, which some servers read as '/'.</summary>
    Backslash,

    /// <summary>An encoded '/' or '\' (%2F, %5C) on a route that does not allow them.</summary>
    EncodedSlash,

    /// <summary>A "." or ".." segment written with an escape (%2E), which some servers decode before normalising.</summary>
    EncodedDotSegment,

    /// <summary>A '%' that decodes into another escape (%252F, %2541): servers that decode twice read something else.</summary>
    DoubleEncoding,

    /// <summary>
    /// A dot segment or an empty segment carrying parameters ("..;x", ";x"), or a dot segment next to an encoded
    /// slash: servlet containers drop the parameters and decoding servers split at the slash, then climb.
    /// </summary>
    AmbiguousSegment,

    /// <summary>A request target that is not a path ("*" or an authority).</summary>
    NotAPath,
}

public static class PathRefusals
{
    /// <summary>The message of the 400 answer, in the words of Kong's error bodies.</summary>
    public static string Message(PathRefusal refusal) => refusal switch
    {
        PathRefusal.InvalidEncoding => "Bad request: invalid percent-encoding in the path",
        PathRefusal.ControlCharacter => "Bad request: control character in the path",
        PathRefusal.Backslash => "Bad request: backslash in the path",
        PathRefusal.EncodedSlash => "Bad request: encoded slash in the path",
        PathRefusal.EncodedDotSegment => "Bad request: encoded dot segment in the path",
        PathRefusal.DoubleEncoding => "Bad request: double percent-encoding in the path",
        PathRefusal.AmbiguousSegment => "Bad request: ambiguous segment in the path",
        PathRefusal.NotAPath => "Bad request: the request target is not a path",
        _ => "Bad request",
    };
}
