using System.Text.RegularExpressions;
using Gateway.Proxy.Routing;

namespace Gateway.Proxy.Tests.Routing;

public class RoutePatternsTests
{
    [Theory]
    [InlineData("^(a+)+$")]
    [InlineData("^/(a|aa)*$")]
    [InlineData("^/(\\w+\\s?)*$")]
    [InlineData("^/x/(.*a){3,}")]
    [InlineData("^/(?:[a-z]+/)+end$")]
    [InlineData("^/.*a.*b")]
    [InlineData("^/x/.+/y/.+$")]
    [InlineData("^/[^a]+b[^c]+$")]
    [InlineData("^/[!-~]+x[!-~]*")]
    [InlineData("^/\\S+\\S+")]
    public void Patterns_that_can_backtrack_without_bound_run_on_the_non_backtracking_engine(string pattern)
    {
        Assert.True(RoutePatterns.CanBacktrackBadly(pattern));
        Assert.True(RoutePatterns.Create(pattern, RegexOptions.CultureInvariant).Options.HasFlag(RegexOptions.NonBacktracking));
    }

    [Theory]
    [InlineData("^/users/(?<id>\\d+)$")]
    [InlineData("^/api/v[0-9]/items")]
    [InlineData("^/(a|b)/c")]
    [InlineData("^/files/.*")]
    [InlineData("^/a{2}/b{1,3}")]
    [InlineData("^/x(?:yz)?/w+")]
    [InlineData("^/[*+]{1,2}/(ab)+$")]
    [InlineData("^/users/\\d+/orders/\\d+$")]
    [InlineData("^/api/(?<tenant>[^/]+)/items/(?<id>[^/]+)$")]
    [InlineData("^/a+b+")]
    [InlineData("^/x{2,}y*")]
    [InlineData("^/[a-z]+-[0-9]+/.*")]
    public void Other_patterns_run_on_the_interpreter_under_a_timeout(string pattern)
    {
        Assert.False(RoutePatterns.CanBacktrackBadly(pattern));
        var regex = RoutePatterns.Create(pattern, RegexOptions.CultureInvariant);
        Assert.False(regex.Options.HasFlag(RegexOptions.NonBacktracking));
        Assert.Equal(RoutePatterns.MatchTimeout, regex.MatchTimeout);
    }

    [Fact]
    public void A_pattern_the_non_backtracking_engine_cannot_run_stays_on_the_interpreter()
    {
        var regex = RoutePatterns.Create("^/(a+)+\\1$", RegexOptions.CultureInvariant);

        Assert.False(regex.Options.HasFlag(RegexOptions.NonBacktracking));
        Assert.Equal(RoutePatterns.MatchTimeout, regex.MatchTimeout);
    }

    [Fact]
    public void A_catastrophic_path_pattern_still_answers_a_hostile_path()
    {
        var regex = RoutePatterns.ForPath("~/(a+)+$");

        Assert.Null(RoutePatterns.Match(regex, "/" + new string('a', 5000) + "!"));
        Assert.Equal("/aaa", RoutePatterns.Match(regex, "/aaa")!.Value);
    }

    [Fact]
    public void Captures_work_on_both_engines()
    {
        var linear = RoutePatterns.ForPath("~/(?<a>.+)/(?<b>.+)$");
        var interpreted = RoutePatterns.ForPath("~/users/(?<id>\\d+)");

        Assert.True(linear.Options.HasFlag(RegexOptions.NonBacktracking));
        Assert.Equal("y", RoutePatterns.Match(linear, "/x/y")!.Groups["b"].Value);
        Assert.Equal("42", RoutePatterns.Match(interpreted, "/users/42")!.Groups["id"].Value);
    }

    [Theory]
    [InlineData("~/users/(?<id>\\d+)", "/users/")]
    [InlineData("~/users?/x", "/user")]
    [InlineData("~/a\\.b\\/c\\d", "/a.b/c")]
    [InlineData("~/api/v1.*", "/api/v1")]
    [InlineData("~/files/[a-z]+", "/files/")]
    [InlineData("~/(?i)admin", "/")]
    [InlineData("~(/a|/b)", "")]
    [InlineData("~/a|/b", "")]
    [InlineData("~/x/(a|b)", "/x/")]
    [InlineData("~/plain", "/plain")]
    [InlineData("~/end$", "/end")]
    [InlineData("~/a{2}", "/")]
    public void The_literal_start_of_a_regex_path(string routePath, string expected)
    {
        Assert.Equal(expected, RoutePatterns.LiteralPrefix(routePath));
    }
}
