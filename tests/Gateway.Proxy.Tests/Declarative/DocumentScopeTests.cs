using Gateway.Proxy.Declarative;

namespace Gateway.Proxy.Tests.Declarative;

/// <summary>decK's <c>_info</c> section: select tags every entry must carry, lookup tags for stored references.</summary>
public class DocumentScopeTests
{
    private const string Tag = "tollgate-operator:default.edge";

    [Fact]
    public void Select_tags_make_the_document_scoped()
    {
        var result = DeclarativeParser.Parse($$"""
            _format_version: "3.0"
            _info:
              select_tags: ["{{Tag}}"]
            services:
            - {name: edge, url: "http://edge.internal", tags: ["{{Tag}}", extra]}
            """);
        Assert.True(result.IsValid, result.Describe());
        Assert.Equal([Tag], result.Scope.SelectTags);
        Assert.True(result.Scope.IsScoped);
    }

    [Fact]
    public void A_document_without_info_is_not_scoped()
    {
        var result = DeclarativeParser.Parse("""
            _format_version: "3.0"
            services:
            - {name: edge, url: "http://edge.internal"}
            """);
        Assert.True(result.IsValid, result.Describe());
        Assert.False(result.Scope.IsScoped);
    }

    [Fact]
    public void Every_entry_of_a_scoped_document_must_carry_the_select_tags()
    {
        var result = DeclarativeParser.Parse($$"""
            _format_version: "3.0"
            _info:
              select_tags: ["{{Tag}}"]
            services:
            - name: edge
              url: http://edge.internal
              tags: ["{{Tag}}"]
              routes:
              - {name: untagged, paths: [/x], tags: [other]}
            """);
        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal("services[0].routes[0].tags", error.Path);
        Assert.Equal(("route", "untagged"), (error.EntityType, error.EntityName));
        Assert.Equal(["other"], error.EntityTags!);
        Assert.Contains(Tag, error.Message);
    }

    [Theory]
    [InlineData("_info: [a]", "_info")]
    [InlineData("_info: {select_tags: a}", "_info.select_tags")]
    [InlineData("_info: {select_tags: [\"\"]}", "_info.select_tags")]
    [InlineData("_info: {select_tags: [\"a/b\"]}", "_info.select_tags")]
    [InlineData("_info: {select_tags: [a], default_lookup_tags: {nothings: [b]}}", "_info.default_lookup_tags.nothings")]
    public void A_malformed_info_section_is_refused_where_it_is_wrong(string info, string path)
    {
        var result = DeclarativeParser.Parse("_format_version: \"3.0\"\n" + info + "\n");
        Assert.False(result.IsValid);
        Assert.Equal(path, Assert.Single(result.Errors).Path);
    }

    private static readonly Gateway.Proxy.Entities.ConfigData Stored = DeclarativeParser.Parse("""
        _format_version: "3.0"
        services:
        - {name: manual, url: "http://manual.internal"}
        - {name: team, url: "http://team.internal", tags: [team]}
        """).Config!;

    private static DeclarativeResult RouteOf(string service, string lookup) => DeclarativeParser.Parse($$"""
        _format_version: "3.0"
        _info:
          select_tags: ["{{Tag}}"]
          {{lookup}}
        routes:
        - {name: r, paths: [/r], service: {{service}}, tags: ["{{Tag}}"]}
        """, existing: Stored);

    [Fact]
    public void A_stored_entity_outside_the_scope_is_referenced_only_through_default_lookup_tags()
    {
        Assert.Contains("no such entry in 'services'", RouteOf("manual", "").Describe());

        var anyService = RouteOf("manual", "default_lookup_tags: {services: []}");
        Assert.True(anyService.IsValid, anyService.Describe());
        Assert.Equal(Stored.Services.Single(s => s.Name == "manual").Id, anyService.Config!.Routes[0].Service!.Id);

        var byId = RouteOf(Stored.Services.Single(s => s.Name == "manual").Id.ToString(), "default_lookup_tags: {services: []}");
        Assert.True(byId.IsValid, byId.Describe());

        Assert.True(RouteOf("team", "default_lookup_tags: {services: [team]}").IsValid);
        Assert.False(RouteOf("manual", "default_lookup_tags: {services: [team]}").IsValid);
    }
}
