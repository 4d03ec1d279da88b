using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Secrets;

namespace Gateway.Proxy.Declarative;

/// <summary>
/// The password hashes already stored for the credentials a document names. A password is stored as PBKDF2 with a
/// random salt, so hashing a re-posted password again would store a different value and make the same document a
/// change every time; when the clear password of an entry verifies against the hash its credential (same id) already
/// has, the entry takes that hash instead. Keys need nothing of the kind: their hash is the same every time.
/// </summary>
internal sealed class StoredPasswords(ConfigData? stored)
{
    private readonly Dictionary<EntityKind, Dictionary<Guid, Entity>> _byId = [];

    /// <summary>The collections whose entities hold a password.</summary>
    public static readonly IReadOnlyList<string> Collections =
        [.. EntityCatalog.All.Where(kind => kind.SecretFields.Any(IsPassword)).Select(kind => kind.Name)];

    /// <summary>Writes into <paramref name="item"/>'s body the stored hash of every password of it that is unchanged.</summary>
    public void KeepUnchanged(PendingEntity item)
    {
        if (stored is null) return;
        foreach (var field in item.Kind.SecretFields)
        {
            if (!IsPassword(field) || item.Body[field.Name] is not JsonValue value || !value.TryGetValue<string>(out var clear)
                || SecretHash.IsHashedPassword(clear))
                continue;
            if (Stored(item.Kind).TryGetValue(item.Id, out var current) && field.Property.GetValue(current) is string hash
                && SecretHash.VerifyPassword(clear, hash))
                item.Body[field.Name] = hash;
        }
    }

    private Dictionary<Guid, Entity> Stored(EntityKind kind)
    {
        if (!_byId.TryGetValue(kind, out var byId))
            _byId[kind] = byId = stored!.Of(kind).ToDictionary(entity => entity.Id);
        return byId;
    }

    private static bool IsPassword(FieldSpec field) => field.Secret == SecretKind.Password;
}
