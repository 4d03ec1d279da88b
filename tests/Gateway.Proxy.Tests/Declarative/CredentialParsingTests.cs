using Gateway.Proxy.Consumers;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Secrets;

namespace Gateway.Proxy.Tests.Declarative;

/// <summary>Consumers with their credentials in a declarative file, as Kong writes them.</summary>
public class CredentialParsingTests
{
    private const string Consumers = """
        _format_version: "3.0"
        consumers:
        - username: slow_user
          keyauth_credentials:
          - key: 332d05445a560ee65a76aeaa372d8904
          basicauth_credentials:
          - username: slow
            password: s3cret
          acls:
          - group: readers
          - group: writers
          plugins:
          - name: rate-limiting
            config: {second: 4}
        """;

    [Fact]
    public void Nested_credentials_belong_to_their_consumer_and_are_stored_hashed()
    {
        var result = DeclarativeParser.Parse(Consumers);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var config = result.Config!;
        var consumer = Assert.Single(config.Consumers);
        var key = Assert.Single(config.All<KeyAuthCredential>());
        var basic = Assert.Single(config.All<BasicAuthCredential>());
        Assert.Equal(consumer.Id, key.Consumer!.Id);
        Assert.Equal(consumer.Id, basic.Consumer!.Id);
        Assert.Equal(2, config.All<Acl>().Count());
        Assert.True(SecretHash.IsHashedKey(key.Key!));
        Assert.DoesNotContain("332d05445a560ee65a76aeaa372d8904", key.Key!);
        Assert.True(SecretHash.VerifyPassword("s3cret", basic.Password!));
        Assert.False(SecretHash.VerifyPassword("wrong", basic.Password!));
    }

    [Fact]
    public void The_directory_finds_a_consumer_by_its_key_and_its_groups()
    {
        var directory = ConsumerDirectory.Build(DeclarativeParser.Parse(Consumers).Config!);

        var credential = directory.FindKey("332d05445a560ee65a76aeaa372d8904");

        Assert.NotNull(credential);
        Assert.Null(directory.FindKey("332d05445a560ee65a76aeaa372d8905"));
        Assert.Equal(["readers", "writers"], directory.GroupsOf(credential!.Consumer!.Id));
    }

    [Fact]
    public void An_exported_hash_imports_back_unchanged()
    {
        var first = DeclarativeParser.Parse(Consumers).Config!;
        var exported = DeclarativeExporter.ToYaml(first);

        var again = DeclarativeParser.Parse(exported);

        Assert.True(again.IsValid, string.Join("; ", again.Errors));
        Assert.Equal(Assert.Single(first.All<KeyAuthCredential>()).Key, Assert.Single(again.Config!.All<KeyAuthCredential>()).Key);
        Assert.NotNull(ConsumerDirectory.Build(again.Config!).FindKey("332d05445a560ee65a76aeaa372d8904"));
    }

    [Fact]
    public void A_password_posted_again_keeps_the_stored_hash_and_a_changed_one_gets_a_new_hash()
    {
        var stored = DeclarativeParser.Parse(Consumers).Config!;
        var storedHash = Assert.Single(stored.All<BasicAuthCredential>()).Password!;

        var again = DeclarativeParser.Parse(Consumers, null, stored);
        var changed = DeclarativeParser.Parse(Consumers.Replace("password: s3cret", "password: n3w"), null, stored);

        Assert.Equal(storedHash, Assert.Single(again.Config!.All<BasicAuthCredential>()).Password);
        var newHash = Assert.Single(changed.Config!.All<BasicAuthCredential>()).Password!;
        Assert.NotEqual(storedHash, newHash);
        Assert.True(SecretHash.VerifyPassword("n3w", newHash));
        Assert.False(SecretHash.VerifyPassword("s3cret", newHash));
    }

    [Fact]
    public void A_password_of_another_credential_is_hashed_afresh()
    {
        var stored = DeclarativeParser.Parse(Consumers).Config!;
        var storedHash = Assert.Single(stored.All<BasicAuthCredential>()).Password!;

        // Renamed, the credential gets another id: the stored hash of the same password belongs to somebody else.
        var other = DeclarativeParser.Parse(Consumers.Replace("username: slow\n", "username: slower\n"), null, stored);

        var hash = Assert.Single(other.Config!.All<BasicAuthCredential>()).Password!;
        Assert.NotEqual(storedHash, hash);
        Assert.True(SecretHash.VerifyPassword("s3cret", hash));
    }

    [Fact]
    public void Two_memberships_of_one_consumer_in_one_group_are_a_duplicate()
    {
        var result = DeclarativeParser.Parse("""
            _format_version: "3.0"
            consumers:
            - username: ann
              acls:
              - group: readers
              - group: readers
            """);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.ToString().Contains("uniqueness"));
    }
}
