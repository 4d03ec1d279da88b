using Gateway.Proxy.Transforms;

namespace Gateway.Proxy.Tests.Transforms;

public sealed class BodyMediaTypesTests
{
    [Theory]
    [InlineData("application/json", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("application/problem+json", true)]
    [InlineData("application/x-ndjson", false)]
    [InlineData("application/grpc+json", false)]
    [InlineData("application/grpc-web+json", false)]
    [InlineData("text/plain", false)]
    [InlineData(null, false)]
    public void Json_bodies_are_json_documents_not_grpc_streams_of_json_messages(string? contentType, bool isJson) =>
        Assert.Equal(isJson, BodyMediaTypes.IsJson(contentType));
}
