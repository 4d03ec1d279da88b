using System.Text.Json.Nodes;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Tests.Schema;

public class StorableTextTests
{
    private static string Problems(JsonObject document)
    {
        var errors = new FieldErrors();
        StorableText.Check(document, errors);
        return errors.ToJson().ToJsonString();
    }

    [Fact]
    public void Lone_surrogates_anywhere_in_a_value_are_reported_with_their_position_and_pairs_are_storable()
    {
        Assert.Equal("""{"a":"invalid utf-8 character sequence detected at position 2"}""", Problems(new JsonObject { ["a"] = "x\ud800y" }));
        Assert.Equal("""{"b":"invalid utf-8 character sequence detected at position 1"}""",
            Problems(new JsonObject { ["b"] = new JsonArray("ok", "\udfffz") }));
        Assert.Equal("""{"c":"invalid utf-8 character sequence detected at position 3"}""",
            Problems(new JsonObject { ["c"] = new JsonObject { ["k"] = "\ud83d\ude00\ud83d" } }));
        Assert.Equal("{}", Problems(new JsonObject { ["d"] = "caf\u00e9 \ud83d\ude00 \uffff" }));
    }

    [Fact]
    public void A_nul_character_is_reported_with_its_position()
    {
        Assert.Equal("""{"a":"invalid value: NUL character at position 3"}""", Problems(new JsonObject { ["a"] = "ab\0" }));
    }
}
