using Gateway.Adversarial.Judging;

namespace Gateway.Adversarial.Tests;

/// <summary>Which paths an upstream could read as under <c>/admin</c>: the judge of a bypass.</summary>
public sealed class PathReadingsTests
{
    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/x?y=1")]
    [InlineData("/administrator")]
    [InlineData("//admin")]
    [InlineData("/.//admin")]
    [InlineData("/%2fadmin")]
    [InlineData("/%2Fadmin")]
    [InlineData("/public%2F..%2Fadmin")]
    [InlineData("/public/..%2Fadmin")]
    [InlineData("/\\admin")]
    [InlineData("/%5cadmin")]
    [InlineData("/%2e%2e/admin")]
    [InlineData("/%252fadmin")]
    [InlineData("/public/%252e%252e/admin")]
    [InlineData("/%61dmin")]
    [InlineData("/%2561dmin")]
    [InlineData("/%c0%afadmin")]
    [InlineData("/public/%c0%ae%c0%ae/admin")]
    [InlineData("/%e0%80%afadmin")]
    [InlineData("/public//../admin")]
    [InlineData("/x/y/../../admin")]
    [InlineData("/admin%2f..")]
    [InlineData("/admin//..")]
    [InlineData("http://evil.example/admin")]
    public void Paths_some_upstream_reads_as_the_guarded_one(string target) =>
        Assert.True(PathReadings.ReachesPrefix(target, "/admin"), string.Join(" | ", PathReadings.Of(target)));

    [Theory]
    [InlineData("/")]
    [InlineData("/public")]
    [InlineData("/public/admin")]
    [InlineData("/ADMIN")]
    [InlineData("/Admin")]
    [InlineData("/adm")]
    [InlineData("/public/..;/admin")]
    [InlineData("/public?/admin")]
    [InlineData("/public#/../admin")]
    [InlineData("/%2e%2e")]
    [InlineData("*")]
    [InlineData("/admi%6")]
    public void Paths_no_upstream_reads_as_the_guarded_one(string target) =>
        Assert.False(PathReadings.ReachesPrefix(target, "/admin"), string.Join(" | ", PathReadings.Of(target)));

    [Theory]
    [InlineData("/a/b/../c", "/a/c")]
    [InlineData("/a/./b/.", "/a/b/")]
    [InlineData("/..", "/")]
    [InlineData("/a/..", "/")]
    public void Dot_segments_are_removed_as_RFC_3986_says(string path, string expected) =>
        Assert.Equal(expected, PathReadings.RemoveDotSegments(path));

    [Fact]
    public void Decoding_repeats_until_nothing_changes() =>
        Assert.Equal("/a/b", PathReadings.FullyDecoded("/a%25252fb"));
}
