using System.Text;
using System.Text.Json.Nodes;
using Gateway.Operator.Entities;

namespace Gateway.Operator.Translation.Plugins;

/// <summary>The consumers, their credentials, and the id of every consumer that is served, by namespace and name.</summary>
public sealed record ConsumerTranslation(List<KongEntity> Entities, List<SourceResult> Results, Dictionary<(string Namespace, string Name), string> Ids);

/// <summary>
/// TollgateConsumers and their credential Secrets into Kong consumers and credentials. A consumer another one
/// already claims the username or custom_id of is left out; a credential whose Secret is missing, unlabelled or
/// incomplete, or whose key another consumer holds, is left out and named in the consumer's status. Nothing here
/// stops any other consumer.
/// </summary>
public static class ConsumerTranslator
{
    public const string CredentialLabel = "tollgate.dev/credential";
    public const string KongCredentialLabel = "konghq.com/credential";

    // The credential kinds a Secret may hold: the declarative array, the fields it needs, and the field that must be unique.
    static readonly Dictionary<string, (string Collection, string[] Required, string[] Optional, string? Unique)> CredentialKinds = new()
    {
        ["key-auth"] = ("keyauth_credentials", ["key"], [], "key"),
        ["basic-auth"] = ("basicauth_credentials", ["username", "password"], [], "username"),
        ["jwt"] = ("jwt_secrets", ["key"], ["secret", "algorithm", "rsa_public_key"], "key"),
        ["acl"] = ("acls", ["group"], [], null),
    };

    public static ConsumerTranslation Translate(string ownerTag, IEnumerable<TollgateConsumer> consumers, IReadOnlyDictionary<(string?, string), V1Secret> secrets)
    {
        var result = new ConsumerTranslation([], [], []);
        var claimed = new Dictionary<string, string>(StringComparer.Ordinal); // "username:x" → consumer that holds it
        var uniqueValues = new Dictionary<string, string>(StringComparer.Ordinal); // "key-auth:key" → consumer that holds it
        foreach (var consumer in consumers.OrderBy(c => c.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(c => c.Metadata.Name, StringComparer.Ordinal))
        {
            var ns = consumer.Metadata.NamespaceProperty ?? "";
            var name = consumer.Metadata.Name!;
            var who = $"{ns}/{name}";
            if (string.IsNullOrEmpty(consumer.Username) && string.IsNullOrEmpty(consumer.CustomId))
            {
                result.Results.Add(new(SourceIdentity.Of(consumer), [new("username", "InvalidConsumer", "username or custom_id is required")]));
                continue;
            }
            var taken = Claims(consumer).FirstOrDefault(claim => claimed.ContainsKey(claim.Key));
            if (taken.Key is not null)
            {
                result.Results.Add(new(SourceIdentity.Of(consumer), [new(taken.Field, "Conflict", $"'{taken.Value}' is already the {taken.Field} of consumer {claimed[taken.Key]}")]));
                continue;
            }
            foreach (var claim in Claims(consumer))
                claimed[claim.Key] = who;

            var id = SourceIdentity.Id("consumers", $"{ns}/{name}");
            var body = new JsonObject { ["id"] = id };
            if (!string.IsNullOrEmpty(consumer.Username))
                body["username"] = consumer.Username;
            if (!string.IsNullOrEmpty(consumer.CustomId))
                body["custom_id"] = consumer.CustomId;
            body["tags"] = SourceIdentity.Tags(SourceIdentity.Of(consumer), ownerTag);
            result.Entities.Add(new("consumers", body));
            result.Ids[(ns, name)] = id;

            var problems = new List<Problem>();
            var credentials = consumer.Credentials ?? [];
            for (var i = 0; i < credentials.Count; i++)
            {
                var problem = Credential(ownerTag, ns, credentials[i], id, who, secrets, uniqueValues, result.Entities);
                if (problem is not null)
                    problems.Add(new($"credentials[{i}]", "CredentialInvalid", problem));
            }
            result.Results.Add(new(SourceIdentity.Of(consumer), problems));
        }
        return result;
    }

    static IEnumerable<(string Key, string Field, string Value)> Claims(TollgateConsumer consumer)
    {
        if (!string.IsNullOrEmpty(consumer.Username))
            yield return ($"username:{consumer.Username}", "username", consumer.Username);
        if (!string.IsNullOrEmpty(consumer.CustomId))
            yield return ($"custom_id:{consumer.CustomId}", "custom_id", consumer.CustomId);
    }

    // One credential Secret into its entity; the problem, if it cannot be served.
    static string? Credential(string ownerTag, string ns, string secretName, string consumerId, string who,
        IReadOnlyDictionary<(string?, string), V1Secret> secrets, Dictionary<string, string> uniqueValues, List<KongEntity> entities)
    {
        if (!secrets.TryGetValue((ns, secretName), out var secret))
            return $"Secret {ns}/{secretName} does not exist";
        var labels = secret.Metadata.Labels;
        string? type = null;
        if (labels is not null && !labels.TryGetValue(CredentialLabel, out type))
            labels.TryGetValue(KongCredentialLabel, out type);
        if (type is null || !CredentialKinds.TryGetValue(type, out var kind))
            return $"Secret {ns}/{secretName} needs the label {CredentialLabel} set to key-auth, basic-auth, jwt or acl";

        var body = new JsonObject { ["id"] = SourceIdentity.Id(kind.Collection, $"{ns}/{secretName}/{consumerId}"), ["consumer"] = new JsonObject { ["id"] = consumerId } };
        foreach (var field in kind.Required)
        {
            if (Value(secret, field) is not { Length: > 0 } value)
                return $"Secret {ns}/{secretName} has no '{field}' for its {type} credential";
            body[field] = value;
        }
        foreach (var field in kind.Optional)
        {
            if (Value(secret, field) is { Length: > 0 } value)
                body[field] = value;
        }
        if (kind.Unique is { } unique)
        {
            var key = $"{type}:{(string)body[unique]!}";
            if (uniqueValues.TryGetValue(key, out var holder) && holder != who)
                return $"the {unique} in Secret {ns}/{secretName} is already a {type} credential of consumer {holder}";
            uniqueValues[key] = who;
        }
        body["tags"] = SourceIdentity.Tags(SourceObject.Of(secret), ownerTag);
        entities.Add(new(kind.Collection, body));
        return null;
    }

    static string? Value(V1Secret secret, string key) =>
        secret.Data is not null && secret.Data.TryGetValue(key, out var bytes) ? Encoding.UTF8.GetString(bytes)
        : secret.StringData is not null && secret.StringData.TryGetValue(key, out var text) ? text
        : null;
}
