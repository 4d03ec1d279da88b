using System.Text;
using System.Text.Json.Nodes;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Plugins.RequestTermination;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Tests.Plugins;

public class RequestTerminationConfigTests
{
    private static JsonObject Errors(string config) =>
        PluginConfigCheck.Check(RecordSchema.For<RequestTerminationConfig>(), JsonNode.Parse(config)!.AsObject(), out _).ToJson();

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"status_code": 500, "message": "down"}""")]
    [InlineData("""{"body": "<p>down</p>", "content_type": "text/html"}""")]
    [InlineData("""{"body": "down"}""")]
    [InlineData("""{"echo": true, "message": "debug", "trigger": "x-debug"}""")]
    [InlineData("""{"message": "", "body": "b"}""")]
    [InlineData("""{"status_code": 500, "tollgate_share": 0.25}""")]
    public void Kongs_valid_combinations_pass(string config) => Assert.Empty(Errors(config));

    [Theory]
    [InlineData("""{"message": "m", "body": "b"}""", "message cannot be used with content_type or body")]
    [InlineData("""{"message": "m", "content_type": "text/plain", "body": "b"}""", "message cannot be used with content_type or body")]
    [InlineData("""{"content_type": "text/plain"}""", "content_type requires a body")]
    [InlineData("""{"echo": true, "body": "b"}""", "echo cannot be used with content_type and body")]
    public void Fields_that_exclude_each_other_are_refused_with_kongs_message(string config, string message) =>
        Assert.Equal(message, Errors(config)["@entity"]![0]!.GetValue<string>());

    [Theory]
    [InlineData("""{"status_code": 199}""", "status_code")]
    [InlineData("""{"status_code": 600}""", "status_code")]
    [InlineData("""{"trigger": "x:stop"}""", "trigger")]
    [InlineData("""{"trigger": ""}""", "trigger")]
    [InlineData("""{"tollgate_share": 1.5}""", "tollgate_share")]
    [InlineData("""{"tollgate_share": -0.1}""", "tollgate_share")]
    public void Bad_fields_are_named(string config, string field) => Assert.NotNull(Errors(config)[field]);

    [Theory]
    [InlineData(401, "Unauthorized")]
    [InlineData(404, "Not found")]
    [InlineData(405, "Method not allowed")]
    [InlineData(500, "An unexpected error occurred")]
    [InlineData(502, "Bad Gateway")]
    [InlineData(503, "Service unavailable")]
    [InlineData(418, null)]
    public void Statuses_kong_has_words_for_get_them(int status, string? message) =>
        Assert.Equal(message, RequestTerminationHandler.DefaultMessage(status));

    [Fact]
    public void A_message_reply_is_kongs_compact_json_with_quotes_escaped()
    {
        var reply = PluginReply.Message("Closed \"for now\" — sorry");

        Assert.Equal("""{"message":"Closed \"for now\" — sorry"}""", Encoding.UTF8.GetString(reply.Body));
        Assert.Equal("application/json; charset=utf-8", reply.ContentType);
        Assert.Equal("Closed \"for now\" — sorry", reply.GrpcMessage);
    }
}
