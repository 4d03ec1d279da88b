using Gateway.Proxy.Proxying;

namespace Gateway.Proxy.Tests.Proxying;

public class RetryPolicyTests
{
    private static readonly ForwardingFailure Refused = new(502, "", FailureStage.Connecting);
    private static readonly ForwardingFailure Closed = new(502, "", FailureStage.AwaitingResponse);
    private static readonly ForwardingFailure TimedOut = new(504, "", FailureStage.AwaitingResponse, TimedOut: true);
    private static readonly ForwardingFailure Broken = new(502, "", FailureStage.Responding);

    public static TheoryData<string, ForwardingFailure, string, bool, bool, bool, bool> Cases => new()
    {
        // what failed, how, method, has a body, body replayable, another target => retry
        { "refused POST", Refused, "POST", true, false, false, false },
        { "refused POST, body unread", Refused, "POST", true, true, false, true },
        { "refused GET", Refused, "GET", false, true, false, true },
        { "closed PUT with a kept body", Closed, "PUT", true, true, false, true },
        { "closed PUT whose body was not kept", Closed, "PUT", true, false, true, false },
        { "closed POST", Closed, "POST", true, true, true, false },
        { "closed PATCH", Closed, "PATCH", false, true, true, false },
        { "closed GET, one target (the HTTP client tried anew)", Closed, "GET", false, true, false, false },
        { "closed GET, another target", Closed, "GET", false, true, true, true },
        { "timed-out GET, one target", TimedOut, "GET", false, true, false, false },
        { "timed-out PUT, one target", TimedOut, "PUT", true, true, false, false },
        { "timed-out GET, another target", TimedOut, "GET", false, true, true, true },
        { "broken response", Broken, "GET", false, true, true, false },
        { "client gone", ForwardingFailure.ClientSide, "GET", false, true, true, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_try_is_sent_again_only_when_nothing_could_be_processed_twice(
        string what, ForwardingFailure failure, string method, bool hasBody, bool replayable, bool anotherTarget, bool expected)
    {
        Assert.True(expected == RetryPolicy.MayRetry(failure, method, hasBody, replayable, anotherTarget), what);
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("POST", false)]
    public void A_closed_pooled_connection_to_a_peer_found_to_close_them_is_retried_on_a_fresh_one_when_idempotent(string method, bool expected)
    {
        Assert.Equal(expected, RetryPolicy.MayRetry(Closed, method, hasBody: false, bodyReplayable: true, anotherTarget: false, staleConnection: true));
        Assert.False(RetryPolicy.MayRetry(TimedOut, method, hasBody: false, bodyReplayable: true, anotherTarget: false, staleConnection: true));
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("OPTIONS", true)]
    [InlineData("PUT", true)]
    [InlineData("DELETE", true)]
    [InlineData("TRACE", true)]
    [InlineData("POST", false)]
    [InlineData("PATCH", false)]
    [InlineData("LOCK", false)]
    public void Idempotent_methods_are_those_of_rfc_9110(string method, bool idempotent)
    {
        Assert.Equal(idempotent, RetryPolicy.IsIdempotent(method));
    }
}
