using System.Text.Json.Nodes;
using Gateway.Proxy.Declarative;

namespace Gateway.Proxy.Tests.Declarative;

public class DeclarativeErrorTests
{
    private const long Now = 1_700_000_000;

    private static DeclarativeResult ParseBad(string text)
    {
        var result = DeclarativeParser.Parse(text, Now);
        Assert.False(result.IsValid);
        Assert.Null(result.Config);
        Assert.NotEmpty(result.Errors);
        return result;
    }

    private static void AssertFields(string expectedJson, DeclarativeResult result) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expectedJson), result.Fields),
            $"fields were {result.Fields.ToJsonString()}");

    [Fact]
    public void MalformedYamlIsOneErrorWithLineAndColumn()
    {
        var result = ParseBad("""
            _format_version: "3.0"
            services:
              - name: foo
               host: example.com
            """);
        var error = Assert.Single(result.Errors);
        Assert.Equal(4, error.Line);
        Assert.NotNull(error.Column);
        Assert.StartsWith("malformed YAML at line 4, column ", error.Message);
    }

    [Fact]
    public void UnterminatedFlowSequenceIsAMalformedYamlError()
    {
        var error = Assert.Single(ParseBad("_format_version: \"3.0\"\nservices: [{host: a.example}\nroutes: []\n").Errors);
        Assert.StartsWith("malformed YAML at line ", error.Message);
        Assert.NotNull(error.Line);
    }

    [Fact]
    public void DuplicateYamlKeysAreMalformed()
    {
        var error = Assert.Single(ParseBad("_format_version: \"3.0\"\nservices: []\nservices: []\n").Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("Duplicate key", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void MalformedJsonIsOneErrorWithLineAndColumn()
    {
        var error = Assert.Single(ParseBad("{\n  \"_format_version\": \"3.0\",\n  \"services\": [tru]\n}").Errors);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("malformed JSON at line 3, column ", error.Message);
    }

    [Fact]
    public void MultipleYamlDocumentsAreRejected()
    {
        var error = Assert.Single(ParseBad("_format_version: \"3.0\"\n---\n_format_version: \"3.0\"\n").Errors);
        Assert.Contains("single YAML document", error.Message);
    }

    [Fact]
    public void MissingFormatVersion()
    {
        var result = ParseBad("services: []\n");
        var error = Assert.Single(result.Errors);
        Assert.Equal(("_format_version", "required field missing"), (error.Path, error.Message));
        AssertFields("""{"_format_version":"required field missing"}""", result);
    }

    [Fact]
    public void UnsupportedFormatVersion()
    {
        var error = Assert.Single(ParseBad("_format_version: \"4.0\"\n").Errors);
        Assert.Equal(("_format_version", "expected one of: 1.1, 2.1, 3.0"), (error.Path, error.Message));
    }

    [Fact]
    public void UnquotedFormatVersionIsANumberAndSaysHowToFixIt()
    {
        var error = Assert.Single(ParseBad("_format_version: 3.0\n").Errors);
        Assert.Equal("_format_version", error.Path);
        Assert.Contains("_format_version: \"3.0\"", error.Message);
    }

    [Fact]
    public void UnknownTopLevelKeyIsNamed()
    {
        var result = ParseBad("_format_version: \"3.0\"\nservces:\n- host: example.com\n");
        var error = Assert.Single(result.Errors);
        Assert.Equal(("servces", "unknown field"), (error.Path, error.Message));
    }

    [Fact]
    public void UnknownFieldHasItsFullPath()
    {
        var result = ParseBad("""
            _format_version: "3.0"
            services:
            - name: foo
              host: example.com
              routes:
              - name: ok
                paths: [/ok]
              - name: typo
                pathz: [/foo]
            """);
        Assert.Contains(result.Errors, e => e.Path == "services[0].routes[1].pathz" && e.Message == "unknown field"
                                            && e.EntityType == "route" && e.EntityName == "typo");
        Assert.Equal("unknown field", result.Fields["services"]![0]!["routes"]![1]!["pathz"]!.GetValue<string>());
        Assert.Null(result.Fields["services"]![0]!["routes"]![0]);
    }

    [Fact]
    public void BadRegexPathIsReportedOnThePaths()
    {
        var result = ParseBad("""
            _format_version: "3.0"
            services:
            - name: foo
              host: example.com
              routes:
              - paths: ["~/users/(\\d+"]
            """);
        var error = Assert.Single(result.Errors);
        Assert.Equal("services[0].routes[0].paths", error.Path);
        Assert.StartsWith("invalid regex: '/users/(\\d+'", error.Message);
    }

    [Fact]
    public void DuplicateServiceNamesAreOneUniquenessError()
    {
        var result = ParseBad("""
            _format_version: "3.0"
            services:
            - name: foo
              host: one.example
            - name: foo
              host: two.example
            """);
        var error = Assert.Single(result.Errors);
        Assert.Equal("services[1].name", error.Path);
        Assert.Equal("uniqueness violation: 'services' entity with name set to 'foo' already declared", error.Message);
        Assert.Equal(("service", "foo"), (error.EntityType, error.EntityName));
    }

    [Fact]
    public void DuplicateTargetWithinAnUpstream()
    {
        var result = ParseBad("""
            _format_version: "3.0"
            upstreams:
            - name: up
              targets:
              - target: 10.0.0.1:80
              - target: 10.0.0.1:80
            """);
        var error = Assert.Single(result.Errors);
        Assert.Equal("upstreams[0].targets[1].target", error.Path);
        Assert.StartsWith("uniqueness violation: 'targets' entity with upstream '", error.Message);
    }

    [Fact]
    public void SamePluginTwiceOnTheSameScope()
    {
        var result = ParseBad("""
            _format_version: "3.0"
            services:
            - name: svc
              host: example.com
              plugins:
              - name: cors
            plugins:
            - name: cors
              service: svc
            """);
        var error = Assert.Single(result.Errors);
        Assert.Equal("plugins[0].name", error.Path);
        Assert.StartsWith("uniqueness violation: 'plugins' entity with name 'cors', route null, service '", error.Message);
    }

    [Fact]
    public void RouteReferencingAMissingService()
    {
        var result = ParseBad("""
            _format_version: "3.0"
            services:
            - name: foo
              host: example.com
            routes:
            - name: r1
              service: nope
              paths: [/r1]
            """);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("routes[0].service", "invalid reference 'service: nope' (no such entry in 'services')"), (error.Path, error.Message));
        AssertFields("""{"routes":[{"service":"invalid reference 'service: nope' (no such entry in 'services')"}]}""", result);
        var listed = Assert.Single(result.ErrorList())!;
        Assert.Equal("routes[0].service", listed["path"]!.GetValue<string>());
        Assert.Equal(("route", "r1"), (listed["entity_type"]!.GetValue<string>(), listed["entity_name"]!.GetValue<string>()));
    }

    [Fact]
    public void ReferenceToAnUndeclaredIdIsDangling()
    {
        var result = ParseBad("""
            _format_version: "3.0"
            routes:
            - paths: [/r1]
              service: {id: 0b1c1e8e-7a43-4b9d-9a4b-2f1f6d3f0c55}
            """);
        var error = Assert.Single(result.Errors);
        Assert.Equal("routes[0].service", error.Path);
        Assert.Equal("invalid reference 'service: {\"id\":\"0b1c1e8e-7a43-4b9d-9a4b-2f1f6d3f0c55\"}' (no such entry in 'services')", error.Message);
    }

    [Fact]
    public void NestedEntryMustNotNameItsParent()
    {
        var error = Assert.Single(ParseBad("""
            _format_version: "3.0"
            services:
            - name: foo
              host: example.com
              routes:
              - paths: [/a]
                service: foo
            """).Errors);
        Assert.Equal("services[0].routes[0].service", error.Path);
    }

    [Fact]
    public void CollectionsMustBeArraysOfRecords()
    {
        var result = ParseBad("""
            _format_version: "3.0"
            services: {name: foo}
            consumers:
            - username: ok
            - just-a-string
            """);
        Assert.Contains(result.Errors, e => e.Path == "services" && e.Message == "expected an array");
        Assert.Contains(result.Errors, e => e.Path == "consumers[1]" && e.Message == "expected a record");
        AssertFields("""{"services":"expected an array","consumers":[null,"expected a record"]}""", result);
    }

    [Fact]
    public void EveryErrorIsReportedNotJustTheFirst()
    {
        var result = ParseBad("""
            _format_version: "3.0"
            services:
            - name: foo
              host: example.com
              port: 99999
              routes:
              - name: bad-path
                paths: [nope]
            - name: foo
              host: example.com
            routes:
            - name: orphan
              service: missing
              paths: [/x]
            consumers:
            - custom_id: null
            bogus: true
            """);
        var paths = result.Errors.Select(e => e.Path).ToHashSet();
        Assert.True(paths.Count == 6, result.Describe());
        Assert.Contains("services[0].port", paths);
        Assert.Contains("services[0].routes[0].paths", paths);
        Assert.Contains("services[1].name", paths);
        Assert.Contains("routes[0].service", paths);
        Assert.Contains("consumers[0]", paths);
        Assert.Contains("bogus", paths);
        Assert.Equal(6, result.Errors.Count);

        var service = result.Fields["services"]![0]!;
        Assert.Equal("value should be between 0 and 65535", service["port"]!.GetValue<string>());
        Assert.NotNull(service["routes"]![0]!["paths"]);
        Assert.Equal("at least one of these fields must be non-empty: 'custom_id', 'username'",
            result.Fields["consumers"]![0]!["@entity"]![0]!.GetValue<string>());
    }

    [Fact]
    public void DocumentMustBeAnObject()
    {
        var error = Assert.Single(ParseBad("- just\n- a list\n").Errors);
        Assert.Equal("", error.Path);
    }

    [Theory]
    [InlineData("{\"_format_version\":\"3.0\",\"upstreams\":[{\"name\":\"up\",\"hash_on_query_arg\":\"a\\u0000b\"}]}")]
    [InlineData("{\"_format_version\":\"3.0\",\"services\":[{\"name\":\"svc\",\"host\":\"a.example\",\"tags\":[\"x\\u0000\"]}]}")]
    public void Text_no_database_can_hold_is_a_field_error(string document)
    {
        var error = Assert.Single(ParseBad(document).Errors);

        Assert.Contains("NUL character", error.Message);
    }

    [Theory]
    [InlineData(65, true)]
    [InlineData(3000, true)]
    [InlineData(60, false)]
    public void A_yaml_document_may_nest_as_deep_as_json(int depth, bool refused)
    {
        var text = "_format_version: \"3.0\"\nservices:\n- name: svc\n  host: a.example\n  tags: " + new string('[', depth - 2) + "x" + new string(']', depth - 2) + "\n";

        var result = DeclarativeParser.Parse(text, Now);

        Assert.False(result.IsValid);
        Assert.Equal(refused, result.Errors.Any(e => e.Message.Contains("nests deeper than 64 levels")));
    }
}
