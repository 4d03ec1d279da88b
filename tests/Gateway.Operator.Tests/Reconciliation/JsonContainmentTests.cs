using System.Text.Json.Nodes;
using Gateway.Operator.Reconciliation;

namespace Gateway.Operator.Tests.Reconciliation;

public class JsonContainmentTests
{
    static bool Covers(string actual, string desired) => JsonContainment.Covers(JsonNode.Parse(actual), JsonNode.Parse(desired));

    [Fact]
    public void Fields_added_by_the_server_are_not_drift() =>
        Assert.True(Covers("""{"spec":{"replicas":2,"strategy":{"type":"RollingUpdate"}},"status":{"ready":1}}""", """{"spec":{"replicas":2}}"""));

    [Fact]
    public void A_changed_or_missing_field_is_drift()
    {
        Assert.False(Covers("""{"spec":{"replicas":3}}""", """{"spec":{"replicas":2}}"""));
        Assert.False(Covers("""{"spec":{}}""", """{"spec":{"replicas":2}}"""));
        Assert.False(Covers("""{"spec":{"replicas":"2"}}""", """{"spec":{"replicas":2}}"""));
    }

    [Fact]
    public void Lists_are_owned_whole_but_their_elements_may_carry_defaults()
    {
        Assert.True(Covers("""{"ports":[{"port":80,"protocol":"TCP"}]}""", """{"ports":[{"port":80}]}"""));
        Assert.False(Covers("""{"ports":[{"port":80},{"port":443}]}""", """{"ports":[{"port":80}]}"""));
        Assert.False(Covers("""{"args":["serve"]}""", """{"args":["migrate"]}"""));
    }
}
