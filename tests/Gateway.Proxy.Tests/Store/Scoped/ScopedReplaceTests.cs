using Gateway.Proxy.Declarative;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Store.Scoped;

namespace Gateway.Proxy.Tests.Store.Scoped;

public class ScopedReplaceTests
{
    private const string Tag = "tollgate-operator:default.edge";

    private static ConfigData Read(string yaml, ConfigData? existing = null)
    {
        var result = DeclarativeParser.Parse(yaml, now: 100, existing: existing);
        Assert.True(result.IsValid, result.Describe());
        return result.Config!;
    }

    /// <summary>What is stored: a hand-made service with a route, and a tagged service with two routes.</summary>
    private static readonly ConfigData Stored = Read($$"""
        _format_version: "3.0"
        services:
        - name: manual
          url: http://manual.internal
          routes:
          - name: manual-route
            paths: [/manual]
        - name: edge
          url: http://edge.internal
          tags: ["{{Tag}}"]
          routes:
          - name: foo
            paths: [/foo]
            tags: ["{{Tag}}"]
          - name: bar
            paths: [/bar]
            tags: ["{{Tag}}"]
        """);

    private static string Names(IEnumerable<Entity> entities) =>
        string.Join(",", entities.Select(e => ScopedReplace.Label(EntityCatalog.Of(e.GetType()), e)).Order());

    [Fact]
    public void Tagged_entities_missing_from_the_document_are_deleted_and_untagged_ones_kept()
    {
        var document = Read($$"""
            _format_version: "3.0"
            services:
            - name: edge
              url: http://edge.internal
              tags: ["{{Tag}}"]
              routes:
              - name: foo
                paths: [/foo, /foo2]
                tags: ["{{Tag}}"]
              - name: baz
                paths: [/baz]
                tags: ["{{Tag}}"]
            """);
        var plan = ScopedReplace.Plan(Stored, [Tag], document, now: 200);

        Assert.Empty(plan.Conflicts);
        Assert.Equal("baz", Names(plan.Created));
        Assert.Equal("foo", Names(plan.Updated));
        Assert.Equal([(EntityCatalog.Routes, Stored.Routes.Single(r => r.Name == "bar").Id)], plan.Deleted);
        Assert.Equal("baz,edge,foo,manual,manual-route", Names(plan.Merged.Services.Cast<Entity>().Concat(plan.Merged.Routes)));
        var foo = plan.Merged.Routes.Single(r => r.Name == "foo");
        Assert.Equal((100L, 200L), (foo.CreatedAt, foo.UpdatedAt));
    }

    [Fact]
    public void The_same_document_again_plans_no_change()
    {
        var document = Read($$"""
            _format_version: "3.0"
            services:
            - name: edge
              url: http://edge.internal
              tags: ["{{Tag}}"]
              routes:
              - {name: foo, paths: [/foo], tags: ["{{Tag}}"]}
              - {name: bar, paths: [/bar], tags: ["{{Tag}}"]}
            """);
        var plan = ScopedReplace.Plan(Stored, [Tag], document, now: 300);
        Assert.False(plan.HasChanges);
        Assert.Empty(plan.Conflicts);
    }

    private static ConfigData WithPlugin(string config) => Read($$"""
        _format_version: "3.0"
        plugins:
        - {name: rate-limiting, config: {{config}}, tags: ["{{Tag}}"]}
        """);

    [Fact]
    public void A_plugin_config_with_its_fields_in_another_order_is_no_change_and_another_value_is_one()
    {
        // Postgres keeps plugin configs as jsonb, which orders an object's keys its own way.
        var stored = WithPlugin("{minute: 10, second: 4, policy: local}");

        Assert.False(ScopedReplace.Plan(stored, [Tag], WithPlugin("{second: 4, policy: local, minute: 10}"), now: 300).HasChanges);
        Assert.Single(ScopedReplace.Plan(stored, [Tag], WithPlugin("{second: 5, policy: local, minute: 10}"), now: 300).Updated);
    }

    [Fact]
    public void A_tagged_entity_taking_the_name_of_an_untagged_one_is_a_conflict_naming_both()
    {
        var document = Read($$"""
            _format_version: "3.0"
            services:
            - id: 0d5b6c9e-2f4e-4c55-9c1a-6f3f1f0a7b21
              name: manual
              url: http://other.internal
              tags: ["{{Tag}}"]
            """);
        var conflict = Assert.Single(ScopedReplace.Plan(Stored, [Tag], document, now: 300).Conflicts);
        Assert.Equal("name", conflict.Field);
        Assert.Equal(document.Services[0], conflict.Entity);
        Assert.Equal(Stored.Services.Single(s => s.Name == "manual"), conflict.Other);
        Assert.Contains("service 'manual', which does not carry the select tags", conflict.Message);
    }

    [Fact]
    public void A_tagged_entity_taking_the_id_of_an_untagged_one_is_a_conflict()
    {
        var manual = Stored.Services.Single(s => s.Name == "manual");
        var document = Read($$"""
            _format_version: "3.0"
            services:
            - id: {{manual.Id}}
              name: other
              url: http://other.internal
              tags: ["{{Tag}}"]
            """);
        var conflict = Assert.Single(ScopedReplace.Plan(Stored, [Tag], document, now: 300).Conflicts);
        Assert.Equal(("id", manual), (conflict.Field, conflict.Other));
    }

    [Fact]
    public void An_untagged_route_of_a_removed_tagged_service_is_a_conflict_and_its_plugins_cascade()
    {
        var stored = Read($$"""
            _format_version: "3.0"
            services:
            - name: edge
              url: http://edge.internal
              tags: ["{{Tag}}"]
              routes:
              - name: by-hand
                paths: [/x]
            """);
        var conflict = Assert.Single(ScopedReplace.Plan(stored, [Tag], ConfigData.Empty, now: 300).Conflicts);
        Assert.Equal("edge", ScopedReplace.Label(conflict.Kind, conflict.Entity));
        Assert.Equal("by-hand", ScopedReplace.Label(conflict.OtherKind, conflict.Other));

        var withPlugin = Read($$"""
            _format_version: "3.0"
            consumers:
            - username: alice
              tags: ["{{Tag}}"]
              plugins:
              - name: sample-limits
                config: {minute: 1}
            """);
        var plan = ScopedReplace.Plan(withPlugin, [Tag], ConfigData.Empty, now: 300);
        Assert.Empty(plan.Conflicts);
        Assert.Equal(2, plan.Deleted.Count);
        Assert.Equal(0, plan.Merged.Count);
    }

    [Fact]
    public void Only_entities_carrying_every_select_tag_are_in_scope()
    {
        var stored = Read("""
            _format_version: "3.0"
            consumers:
            - {username: both, tags: [a, b]}
            - {username: only-a, tags: [a]}
            """);
        var plan = ScopedReplace.Plan(stored, ["a", "b"], ConfigData.Empty, now: 300);
        Assert.Equal("only-a", Names(plan.Merged.Consumers));
    }
}
