using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Http;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Tests.Admin;

public class FormDecoderTests
{
    private static JsonObject Decode(string body) => FormDecoder.Decode(FormDecoder.ParseUrlEncoded(body));

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nactual   {actual?.ToJsonString()}");

    [Fact]
    public void Plain_fields_stay_text()
    {
        AssertJson("""{"username":"slow_user","custom_id":"42"}""", Decode("username=slow_user&custom_id=42"));
    }

    [Fact]
    public void Dotted_keys_nest_into_objects()
    {
        AssertJson("""{"name":"rate-limiting","config":{"second":"4","hour":"1200","policy":"local"},"consumer":{"id":"3d45a73d-4024-4813-b356-43a14ecea702"}}""",
            Decode("name=rate-limiting&config.second=4&config.hour=1200&config.policy=local&consumer.id=3d45a73d-4024-4813-b356-43a14ecea702"));
    }

    [Fact]
    public void Bracket_suffix_makes_an_array_even_for_one_value()
    {
        AssertJson("""{"hosts":["a.com"]}""", Decode("hosts[]=a.com"));
        AssertJson("""{"hosts":["a.com","b.com"]}""", Decode("hosts[]=a.com&hosts[]=b.com"));
    }

    [Fact]
    public void Repeated_keys_make_an_array()
    {
        AssertJson("""{"hosts":["a.com","b.com"]}""", Decode("hosts=a.com&hosts=b.com"));
    }

    [Fact]
    public void Indexed_keys_are_ordered_by_index_not_by_arrival()
    {
        AssertJson("""{"paths":["/one","/two"]}""", Decode("paths[2]=/two&paths[1]=/one"));
    }

    [Fact]
    public void Indexed_keys_nest_under_dotted_keys()
    {
        AssertJson("""{"config":{"key_names":["apikey","x-key"]}}""", Decode("config.key_names[1]=apikey&config.key_names[2]=x-key"));
    }

    [Fact]
    public void Map_entries_use_dotted_keys_with_dashes_in_the_name()
    {
        AssertJson("""{"headers":{"x-foo":"a","x-bar":["b","c"]}}""", Decode("headers.x-foo=a&headers.x-bar=b&headers.x-bar=c"));
    }

    [Fact]
    public void Empty_value_means_null_and_empty_array_element_adds_nothing()
    {
        AssertJson("""{"name":null,"hosts":[]}""", Decode("name=&hosts[]="));
    }

    [Fact]
    public void Url_encoding_and_plus_are_decoded()
    {
        AssertJson("""{"paths":["~/status/\\d+"],"tags":["a b"]}""", Decode("paths[]=%7E%2Fstatus%2F%5Cd%2B&tags[]=a+b"));
    }

    [Fact]
    public void Keys_starting_or_ending_with_a_dot_are_literal()
    {
        AssertJson("""{".hidden":"1","trailing.":"2"}""", Decode(".hidden=1&trailing.=2"));
    }

    [Fact]
    public void Malformed_percent_escapes_are_kept_as_text()
    {
        AssertJson("""{"name":"100%zz"}""", Decode("name=100%zz"));
    }

    [Fact]
    public void Coercion_gives_form_text_the_schema_types()
    {
        var form = Decode("name=svc&port=8080&retries=3&enabled=false&url=http://x.com");
        var coerced = StringCoercion.Coerce(EntityCatalog.Services.Schema, form);
        AssertJson("""{"name":"svc","port":8080,"retries":3,"enabled":false,"url":"http://x.com"}""", coerced);
    }

    [Fact]
    public void Coercion_wraps_a_single_value_for_array_fields_and_header_maps()
    {
        var form = Decode("hosts=a.com&methods=GET&headers.x-foo=a&strip_path=false&regex_priority=5");
        var coerced = StringCoercion.Coerce(EntityCatalog.Routes.Schema, form);
        AssertJson("""{"hosts":["a.com"],"methods":["GET"],"headers":{"x-foo":["a"]},"strip_path":false,"regex_priority":5}""", coerced);
    }

    [Fact]
    public void Coercion_leaves_unconvertible_text_for_validation_to_name()
    {
        var coerced = StringCoercion.Coerce(EntityCatalog.Services.Schema, Decode("port=eighty"));
        AssertJson("""{"port":"eighty"}""", coerced);
    }

    [Fact]
    public void Absurdly_deep_keys_are_refused_rather_than_recursed_into()
    {
        var key = string.Join('.', Enumerable.Repeat("a", 100_000));
        var e = Assert.Throws<AdminException>(() => Decode(key + "=1"));
        Assert.Equal(400, e.Response.Status);
    }

    [Fact]
    public void An_index_too_large_for_a_number_is_part_of_the_name()
    {
        AssertJson("""{"hosts[99999999999999]":"a"}""", Decode("hosts[99999999999999]=a"));
    }
}
