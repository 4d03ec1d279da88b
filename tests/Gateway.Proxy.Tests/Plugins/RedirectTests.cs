using System.Text.Json.Nodes;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Plugins.Redirect;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Tests.Plugins;

public class RedirectTests
{
    private static JsonObject Errors(string config) =>
        PluginConfigCheck.Check(RecordSchema.For<RedirectConfig>(), JsonNode.Parse(config)!.AsObject(), out _).ToJson();

    private static RedirectLocation Location(string config)
    {
        Assert.Empty(Errors(config));
        return new RedirectLocation(EntityJson.FromNode<RedirectConfig>(RecordSchema.For<RedirectConfig>().WithDefaults(JsonNode.Parse(config)!.AsObject())));
    }

    private static RedirectLocation FromRequest(string redirect) => Location($$"""{"tollgate_request_redirect": {{redirect}}}""");

    [Fact]
    public void A_location_is_sent_as_configured_whatever_the_request()
    {
        var location = Location("""{"location": "https://new.example.com/some-path?x=1"}""");

        Assert.Equal("https://new.example.com/some-path?x=1", location.For(false, "old.example.com", "/demo", "?foo=bar"));
    }

    [Theory]
    [InlineData("https://new.example.com", "https://new.example.com/demo?foo=bar")]
    [InlineData("https://new.example.com/some-path?x=1", "https://new.example.com/demo?foo=bar")]
    [InlineData("http://new.example.com:8080/", "http://new.example.com:8080/demo?foo=bar")]
    public void Keep_incoming_path_puts_the_requests_path_and_query_in_place_of_the_locations(string configured, string expected)
    {
        var location = Location($$"""{"location": "{{configured}}", "keep_incoming_path": true}""");

        Assert.Equal(expected, location.For(true, "example.com", "/demo", "?foo=bar"));
    }

    [Theory]
    // Neither scheme nor port: the request's scheme, and the port the client used.
    [InlineData("""{"hostname": "example.org"}""", false, "gw.test", "http://example.org/p?q=1")]
    [InlineData("""{"hostname": "example.org"}""", false, "gw.test:8080", "http://example.org:8080/p?q=1")]
    [InlineData("""{"hostname": "example.org"}""", true, "gw.test:8443", "https://example.org:8443/p?q=1")]
    [InlineData("""{"hostname": "example.org", "port": 80}""", false, "gw.test:8080", "http://example.org/p?q=1")]
    [InlineData("""{"hostname": "example.org", "port": 8080}""", false, "gw.test", "http://example.org:8080/p?q=1")]
    // A scheme without a port: that scheme's own port, left out.
    [InlineData("""{"scheme": "https"}""", false, "Gw.Test:8080", "https://gw.test/p?q=1")]
    [InlineData("""{"scheme": "http"}""", true, "gw.test:8443", "http://gw.test/p?q=1")]
    [InlineData("""{"scheme": "https", "port": 443}""", false, "gw.test", "https://gw.test/p?q=1")]
    [InlineData("""{"scheme": "https", "port": 8443}""", false, "gw.test", "https://gw.test:8443/p?q=1")]
    [InlineData("""{"scheme": "http", "port": 8080}""", true, "gw.test", "http://gw.test:8080/p?q=1")]
    // The host the request was sent to, IPv6 included.
    [InlineData("""{}""", false, "[::1]:8000", "http://[::1]:8000/p?q=1")]
    [InlineData("""{"hostname": "2001:db8::1"}""", true, "gw.test", "https://[2001:db8::1]/p?q=1")]
    public void A_request_redirect_keeps_what_it_does_not_replace(string redirect, bool https, string host, string expected) =>
        Assert.Equal(expected, FromRequest(redirect).For(https, host, "/p", "?q=1"));

    [Theory]
    [InlineData("/foo/bar", "/foo", "/xyz", "/xyz/bar")]
    [InlineData("/foo/bar", "/foo", "/xyz/", "/xyz/bar")]
    [InlineData("/foo/bar", "/foo/", "/xyz", "/xyz/bar")]
    [InlineData("/foo/bar", "/foo/", "/xyz/", "/xyz/bar")]
    [InlineData("/foo", "/foo", "/xyz", "/xyz")]
    [InlineData("/foo/", "/foo", "/xyz", "/xyz/")]
    [InlineData("/foo/bar", "/foo", "", "/bar")]
    [InlineData("/foo/", "/foo", "", "/")]
    [InlineData("/foo", "/foo", "", "/")]
    [InlineData("/foo/", "/foo", "/", "/")]
    [InlineData("/foo", "/foo", "/", "/")]
    [InlineData("/foobar", "/foo", "/xyz", "/foobar")]
    [InlineData("/other", "/foo", "/xyz", "/other")]
    [InlineData("/anything", "/", "/xyz", "/xyz/anything")]
    public void A_prefix_is_replaced_by_whole_segments_as_the_gateway_api_table_has_it(string path, string prefix, string replacement, string expected)
    {
        var location = FromRequest($$"""{"prefix_match": "{{prefix}}", "replace_prefix_match": "{{replacement}}"}""");

        Assert.Equal("http://gw.test" + expected, location.For(false, "gw.test", path, ""));
    }

    [Fact]
    public void A_full_path_replaces_the_whole_path_and_the_query_stays()
    {
        var location = FromRequest("""{"scheme": "https", "hostname": "example.org", "replace_full_path": "/full"}""");

        Assert.Equal("https://example.org/full?a=b", location.For(false, "gw.test", "/any/thing", "?a=b"));
    }

    [Theory]
    [InlineData("""{}""", "location", "required field missing")]
    [InlineData("""{"location": "/relative"}""", "location", "should be an absolute URL with a scheme and a host, such as https://example.com/path")]
    [InlineData("""{"location": "example.com"}""", "location", "should be an absolute URL with a scheme and a host, such as https://example.com/path")]
    [InlineData("""{"location": "https://exa mple.com/"}""", "location", "should be an absolute URL with a scheme and a host, such as https://example.com/path")]
    [InlineData("""{"location": "https://example.com/", "status_code": 200}""", "status_code", "expected one of: 301, 302, 303, 307, 308")]
    [InlineData("""{"location": "https://example.com/", "status_code": 304}""", "status_code", "expected one of: 301, 302, 303, 307, 308")]
    public void Bad_fields_are_refused_naming_them(string config, string field, string message) =>
        Assert.Equal(message, Errors(config)[field]!.GetValue<string>());

    [Theory]
    [InlineData("""{"scheme": "ftp"}""", "scheme")]
    [InlineData("""{"port": 0}""", "port")]
    [InlineData("""{"port": 65536}""", "port")]
    [InlineData("""{"hostname": "bad host"}""", "hostname")]
    [InlineData("""{"replace_full_path": "relative"}""", "replace_full_path")]
    [InlineData("""{"replace_full_path": "/a?b=c"}""", "replace_full_path")]
    [InlineData("""{"replace_full_path": "/a\r\nSet-Cookie: x"}""", "replace_full_path")]
    [InlineData("""{"prefix_match": "/a"}""", "replace_prefix_match")]
    [InlineData("""{"replace_prefix_match": "/a"}""", "prefix_match")]
    [InlineData("""{"prefix_match": "/a", "replace_prefix_match": "b"}""", "replace_prefix_match")]
    public void Bad_request_redirect_fields_are_named_under_it(string redirect, string field) =>
        Assert.NotNull(Errors($$"""{"tollgate_request_redirect": {{redirect}}}""")["tollgate_request_redirect"]![field]);

    [Theory]
    [InlineData("""{"location": "https://a.test", "tollgate_request_redirect": {}}""", "location cannot be used with tollgate_request_redirect")]
    [InlineData("""{"keep_incoming_path": true, "tollgate_request_redirect": {}}""", "keep_incoming_path cannot be used with tollgate_request_redirect")]
    public void Kongs_location_and_the_request_redirect_exclude_each_other(string config, string message) =>
        Assert.Equal(message, Errors(config)["@entity"]![0]!.GetValue<string>());

    [Fact]
    public void A_full_path_and_a_prefix_replacement_exclude_each_other() =>
        Assert.NotNull(Errors("""{"tollgate_request_redirect": {"replace_full_path": "/a", "prefix_match": "/b", "replace_prefix_match": "/c"}}""")
            ["tollgate_request_redirect"]!["@entity"]);

    [Fact]
    public void Kongs_defaults_apply()
    {
        var config = RecordSchema.For<RedirectConfig>().WithDefaults(JsonNode.Parse("""{"location": "https://a.test"}""")!.AsObject());

        Assert.Equal(301, config["status_code"]!.GetValue<int>());
        Assert.False(config["keep_incoming_path"]!.GetValue<bool>());
    }
}
