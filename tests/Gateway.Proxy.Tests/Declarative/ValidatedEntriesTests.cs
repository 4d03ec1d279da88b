using System.Text.Json.Nodes;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Entities;

namespace Gateway.Proxy.Tests.Declarative;

/// <summary>A document posted again reuses what its unchanged entries validated into, and nothing else.</summary>
public class ValidatedEntriesTests
{
    private static JsonNode Document(string path, string password = "s3cret", long? routeCreatedAt = null) => JsonNode.Parse($$"""
        {
          "_format_version": "3.0",
          "services": [{"name": "web", "url": "http://web.internal", "routes": [{"name": "r", "paths": ["{{path}}"]{{(routeCreatedAt is { } at ? $", \"created_at\": {at}" : "")}}}]}],
          "consumers": [{"username": "ann", "basicauth_credentials": [{"username": "ann", "password": "{{password}}"}]}]
        }
        """)!;

    [Fact]
    public void An_unchanged_entry_is_the_same_entity_with_the_new_time_and_keeps_its_password_hash()
    {
        var validated = new ValidatedEntries();
        var first = DeclarativeParser.Parse(Document("/a"), now: 100, validated: validated);
        var second = DeclarativeParser.Parse(Document("/a"), now: 200, validated: validated);

        Assert.True(second.IsValid);
        var (route, again) = (first.Config!.Routes.Single(), second.Config!.Routes.Single());
        Assert.Equal(route with { CreatedAt = 200, UpdatedAt = 200 }, again with { Paths = route.Paths, Protocols = route.Protocols });
        Assert.Equal(["/a"], again.Paths!);
        // A password is hashed with a random salt: validating it again would give another hash.
        Assert.Equal(first.Config.All<BasicAuthCredential>().Single().Password, second.Config.All<BasicAuthCredential>().Single().Password);
        var unremembered = DeclarativeParser.Parse(Document("/a"), now: 200);
        Assert.NotEqual(first.Config.All<BasicAuthCredential>().Single().Password, unremembered.Config!.All<BasicAuthCredential>().Single().Password);
    }

    [Fact]
    public void A_changed_entry_is_validated_again_and_refused_when_wrong()
    {
        var validated = new ValidatedEntries();
        Assert.True(DeclarativeParser.Parse(Document("/a"), now: 100, validated: validated).IsValid);

        var wrong = DeclarativeParser.Parse(Document("no-slash"), now: 200, validated: validated);
        var changed = DeclarativeParser.Parse(Document("/b"), now: 300, validated: validated);

        Assert.False(wrong.IsValid);
        Assert.Contains(wrong.Errors, e => e.ToString().Contains("paths"));
        Assert.Equal(["/b"], changed.Config!.Routes.Single().Paths!);
        Assert.NotEqual(changed.Config.All<BasicAuthCredential>().Single().Password,
            DeclarativeParser.Parse(Document("/b", password: "other"), now: 400, validated: validated).Config!.All<BasicAuthCredential>().Single().Password);
    }

    [Fact]
    public void A_given_creation_time_is_kept()
    {
        var validated = new ValidatedEntries();
        DeclarativeParser.Parse(Document("/a", routeCreatedAt: 50), now: 100, validated: validated);
        var again = DeclarativeParser.Parse(Document("/a", routeCreatedAt: 50), now: 200, validated: validated).Config!.Routes.Single();

        Assert.Equal((50, 50), (again.CreatedAt, again.UpdatedAt));
    }
}
