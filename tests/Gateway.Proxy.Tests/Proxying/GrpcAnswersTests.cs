using Gateway.Proxy.Proxying;

namespace Gateway.Proxy.Tests.Proxying;

public sealed class GrpcAnswersTests
{
    [Theory]
    [InlineData(200, 0)]
    [InlineData(400, 3)]
    [InlineData(401, 16)]
    [InlineData(403, 7)]
    [InlineData(404, 5)]
    [InlineData(405, 3)]
    [InlineData(413, 3)]
    [InlineData(429, 8)]
    [InlineData(500, 13)]
    [InlineData(502, 14)]
    [InlineData(503, 14)]
    [InlineData(504, 4)]
    [InlineData(507, 13)]
    [InlineData(301, 2)]
    public void Gateway_statuses_become_kongs_grpc_codes_with_502_unavailable(int httpStatus, int grpcStatus) =>
        Assert.Equal(grpcStatus, GrpcAnswers.StatusFor(httpStatus));

    [Theory]
    [InlineData("no Route matched with those values", "no Route matched with those values")]
    [InlineData("100% sure", "100%25 sure")]
    [InlineData("caf\u00e9", "caf%C3%A9")]
    [InlineData("line\nbreak", "line%0Abreak")]
    public void Messages_are_percent_encoded_as_the_grpc_protocol_requires(string message, string encoded) =>
        Assert.Equal(encoded, GrpcAnswers.EncodeMessage(message));
}
