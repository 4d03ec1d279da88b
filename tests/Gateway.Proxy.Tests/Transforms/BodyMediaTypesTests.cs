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

    [Theory]
    [InlineData("application/grpc", true)]
    [InlineData("application/grpc+proto", true)]
    [InlineData("application/GRPC+json", true)]
    [InlineData("application/grpc; charset=utf-8", true)]
    [InlineData("application/grpc-web", false)]
    [InlineData("application/grpc-web+proto", false)]
    [InlineData("application/grpcx", false)]
    [InlineData("application/json", false)]
    [InlineData(null, false)]
    public void Grpc_streams_are_the_bare_type_and_its_formats_not_grpc_web(string? contentType, bool isGrpc) =>
        Assert.Equal(isGrpc, BodyMediaTypes.IsGrpc(contentType));
}
