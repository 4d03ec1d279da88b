using Gateway.Proxy.Admin.Http;
using Gateway.Proxy.Admin.Listing;

namespace Gateway.Proxy.Tests.Admin;

public class ListParametersTests
{
    [Fact]
    public void Defaults_to_a_hundred_without_offset_or_tags()
    {
        var p = ListParameters.Parse(null, null, null);
        Assert.Equal(100, p.Size);
        Assert.Null(p.Offset);
        Assert.Null(p.Tags);
    }

    [Fact]
    public void Reads_size_and_offset()
    {
        var p = ListParameters.Parse("1000", "abc", null);
        Assert.Equal(1000, p.Size);
        Assert.Equal("abc", p.Offset);
    }

    [Theory]
    [InlineData("ten", "size must be a number")]
    [InlineData("", "size must be a number")]
    [InlineData("0", "size must be an integer between 1 and 1000")]
    [InlineData("1001", "size must be an integer between 1 and 1000")]
    [InlineData("2.5", "size must be an integer between 1 and 1000")]
    [InlineData("-3", "size must be an integer between 1 and 1000")]
    public void Invalid_size_is_refused_with_kongs_message(string size, string message)
    {
        var e = Assert.Throws<AdminException>(() => ListParameters.Parse(size, null, null));
        Assert.Equal(400, e.Response.Status);
        Assert.Equal(9, (int)e.Response.Body!["code"]!);
        Assert.Equal("invalid size", (string)e.Response.Body!["name"]!);
        Assert.Equal(message, (string)e.Response.Body!["message"]!);
    }

    [Fact]
    public void Comma_separated_tags_must_all_match()
    {
        var p = ListParameters.Parse(null, null, "prod,team-a");
        Assert.Equal(["prod", "team-a"], p.Tags!);
        Assert.False(p.AnyTag);
    }

    [Fact]
    public void Slash_separated_tags_match_any()
    {
        var p = ListParameters.Parse(null, null, "prod/staging");
        Assert.Equal(["prod", "staging"], p.Tags!);
        Assert.True(p.AnyTag);
    }

    [Fact]
    public void Mixing_and_and_or_is_an_invalid_option()
    {
        var e = Assert.Throws<AdminException>(() => ListParameters.Parse(null, null, "a,b/c"));
        Assert.Equal(400, e.Response.Status);
        Assert.Equal(11, (int)e.Response.Body!["code"]!);
        Assert.Equal("invalid option (tags: must be a table)", (string)e.Response.Body!["message"]!);
        Assert.Equal("must be a table", (string)e.Response.Body!["options"]!["tags"]!);
    }

    [Fact]
    public void More_than_five_tags_are_refused()
    {
        var e = Assert.Throws<AdminException>(() => ListParameters.Parse(null, null, "a,b,c,d,e,f"));
        Assert.Equal("invalid option (tags: cannot query more than 5 tags)", (string)e.Response.Body!["message"]!);
    }
}
