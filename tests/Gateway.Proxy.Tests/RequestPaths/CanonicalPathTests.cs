using Gateway.Proxy.RequestPaths;

namespace Gateway.Proxy.Tests.RequestPaths;

public class CanonicalPathTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/admin", "/admin")]
    [InlineData("/admin/", "/admin/")]
    [InlineData("//admin", "/admin")]
    [InlineData("///admin//x//", "/admin/x/")]
    [InlineData("/.//admin", "/admin")]
    [InlineData("/./admin", "/admin")]
    [InlineData("/public/../admin", "/admin")]
    [InlineData("/public/../../../admin", "/admin")]
    [InlineData("/a/b/..", "/a/")]
    [InlineData("/a/b/.", "/a/b/")]
    [InlineData("/..", "/")]
    [InlineData("/%61dmin", "/admin")]
    [InlineData("/%7Euser/%2d%5F", "/~user/-_")]
    [InlineData("/file%2Ejson", "/file.json")]
    [InlineData("/a%3bb", "/a%3Bb")]
    [InlineData("/a;b=1/c", "/a;b=1/c")]
    [InlineData("/q%3F/h%23", "/q%3F/h%23")]
    [InlineData("/sp ace", "/sp%20ace")]
    [InlineData("/caf\u00e9", "/caf%C3%A9")]
    [InlineData("/caf%c3%a9", "/caf%C3%A9")]
    [InlineData("/100%25", "/100%25")]
    [InlineData("/50%25off", "/50%25off")]
    [InlineData("/.well-known/x", "/.well-known/x")]
    [InlineData("/a/...", "/a/...")]
    [InlineData("/a/..b/.c", "/a/..b/.c")]
    [InlineData("/a:b@c!$&'()*+,=", "/a:b@c!$&'()*+,=")]
    public void Canonical_form(string raw, string expected)
    {
        Assert.Equal(PathRefusal.None, CanonicalPath.Canonicalize(raw, out var canonical, out var encodedSlash));
        Assert.Equal(expected, canonical);
        Assert.False(encodedSlash);
    }

    [Theory]
    [InlineData("/%2fadmin", "/%2Fadmin")]
    [InlineData("/files/a%2Fb", "/files/a%2Fb")]
    [InlineData("/files/a%5cb", "/files/a%5Cb")]
    [InlineData("//files/x/../a%2Fb", "/files/a%2Fb")]
    public void Encoded_slashes_are_kept_encoded_and_reported(string raw, string expected)
    {
        Assert.Equal(PathRefusal.None, CanonicalPath.Canonicalize(raw, out var canonical, out var encodedSlash));
        Assert.Equal(expected, canonical);
        Assert.True(encodedSlash);
    }

    [Theory]
    [InlineData("/\\admin", PathRefusal.Backslash)]
    [InlineData("/a\\..\\admin", PathRefusal.Backslash)]
    [InlineData("/%2e%2e/admin", PathRefusal.EncodedDotSegment)]
    [InlineData("/public/%2E%2E/admin", PathRefusal.EncodedDotSegment)]
    [InlineData("/public/.%2e/admin", PathRefusal.EncodedDotSegment)]
    [InlineData("/%2e/admin", PathRefusal.EncodedDotSegment)]
    [InlineData("/public%2F..%2Fadmin", PathRefusal.AmbiguousSegment)]
    [InlineData("/public/..%2Fadmin", PathRefusal.AmbiguousSegment)]
    [InlineData("/public/..%5cadmin", PathRefusal.AmbiguousSegment)]
    [InlineData("/x/a%2F.", PathRefusal.AmbiguousSegment)]
    [InlineData("/public/..;/admin", PathRefusal.AmbiguousSegment)]
    [InlineData("/;x/admin", PathRefusal.AmbiguousSegment)]
    [InlineData("/.;x/admin", PathRefusal.AmbiguousSegment)]
    [InlineData("/%252fadmin", PathRefusal.DoubleEncoding)]
    [InlineData("/%252e%252e/admin", PathRefusal.DoubleEncoding)]
    [InlineData("/%2561dmin", PathRefusal.DoubleEncoding)]
    [InlineData("/%25%32%46admin", PathRefusal.DoubleEncoding)]
    [InlineData("/a%00b", PathRefusal.ControlCharacter)]
    [InlineData("/a%0d%0aX-Injected:%201", PathRefusal.ControlCharacter)]
    [InlineData("/a%7f", PathRefusal.ControlCharacter)]
    [InlineData("/a\u0001b", PathRefusal.ControlCharacter)]
    [InlineData("/a%", PathRefusal.InvalidEncoding)]
    [InlineData("/a%4", PathRefusal.InvalidEncoding)]
    [InlineData("/a%zz", PathRefusal.InvalidEncoding)]
    [InlineData("/%c0%ae%c0%ae/admin", PathRefusal.InvalidEncoding)]
    [InlineData("/%c0%afadmin", PathRefusal.InvalidEncoding)]
    [InlineData("/%ff", PathRefusal.InvalidEncoding)]
    [InlineData("*", PathRefusal.NotAPath)]
    [InlineData("", PathRefusal.NotAPath)]
    public void Ambiguous_paths_are_refused(string raw, PathRefusal expected)
    {
        Assert.Equal(expected, CanonicalPath.Canonicalize(raw, out _, out _));
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/api/v1/users/42", true)]
    [InlineData("/.well-known/acme", true)]
    [InlineData("/a/..b", true)]
    [InlineData("/a/", true)]
    [InlineData("/a//b", false)]
    [InlineData("/a/./b", false)]
    [InlineData("/a/..", false)]
    [InlineData("/a/.", false)]
    [InlineData("/%61", false)]
    [InlineData("/a;b", false)]
    [InlineData("/a b", false)]
    [InlineData("a", false)]
    public void Quick_check_recognises_paths_that_need_no_work(string path, bool canonical)
    {
        Assert.Equal(canonical, CanonicalPath.IsCanonical(path));
    }

    [Theory]
    [InlineData("/foo", "/foo")]
    [InlineData("/caf\u00e9", "/caf%C3%A9")]
    [InlineData("/a//b/./c", "/a/b/c")]
    [InlineData("/files/a%2fb", "/files/a%2Fb")]
    [InlineData("/bad\\path", "/bad\\path")]
    public void Route_prefixes_compare_in_canonical_form(string prefix, string expected)
    {
        Assert.Equal(expected, CanonicalPath.ForRoutePrefix(prefix));
    }

    [Fact]
    public void A_lone_surrogate_is_not_a_character()
    {
        Assert.Equal(PathRefusal.InvalidEncoding, CanonicalPath.Canonicalize("/a" + (char)0xD800 + "b", out _, out _));
    }

    [Fact]
    public void A_canonical_route_prefix_is_kept_as_the_same_string()
    {
        var prefix = "/api/v1/users";
        Assert.Same(prefix, CanonicalPath.ForRoutePrefix(prefix));
    }
}
