using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Store.ConfigChecks;

namespace Gateway.Proxy.Declarative;

/// <summary>
/// Turns the entries read from a document into entities: resolves references written by name or id, gives
/// entries without an id a deterministic one, validates each entity and finally checks uniqueness across them.
/// </summary>
internal sealed class EntityAssembler(IReadOnlyList<PendingEntity> pending, ErrorCollector errors, long now, ScopeLookup outside,
    StoredPasswords passwords, ValidatedEntries? validated = null)
{
    // Stands in for a reference that could not be resolved, so the rest of the entry is still validated.
    private static readonly string Unresolved = Guid.Empty.ToString();

    private readonly Dictionary<string, Dictionary<string, PendingEntity>> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<Guid, PendingEntity>> _byId = new(StringComparer.Ordinal);

    public IReadOnlyList<Entity> Assemble()
    {
        foreach (var kind in DeclarativeCollections.ParentsFirst())
        {
            foreach (var item in pending)
            {
                if (item.Kind != kind) continue;
                // An id given in the entry names it in the errors found while resolving its references.
                if (GivenId(item) is { } given) item.Id = given;
                ResolveReferences(item);
                AssignId(item);
                Remember(item);
            }
        }

        var entities = new List<Entity>();
        var origin = new Dictionary<Entity, PendingEntity>(ReferenceEqualityComparer.Instance);
        var known = validated?.Last;
        var remembered = validated is null ? null : new Dictionary<(string Kind, string Text), Entity>(pending.Count);
        foreach (var item in pending)
        {
            passwords.KeepUnchanged(item);
            var (fillsCreated, fillsUpdated) = (item.Body["created_at"] is null, item.Body["updated_at"] is null);
            (string, string)? key = remembered is null ? null : (item.Kind.Name, item.Body.ToJsonString());
            SetTimestamps(item.Body);
            Entity entity;
            if (key is { } seen && known!.TryGetValue(seen, out var same))
            {
                var created = fillsCreated ? now : same.CreatedAt;
                entity = same with { CreatedAt = created, UpdatedAt = fillsUpdated ? created : same.UpdatedAt };
            }
            else
            {
                var result = EntityValidation.Validate(item.Kind, item.Body);
                if (!result.IsValid)
                {
                    errors.AddFieldErrors(item.Location, result.Errors!, item.Info);
                    item.Failed = true;
                    continue;
                }
                entity = result.Entity!;
            }
            if (key is { } text) remembered![text] = entity;
            if (item.Failed) continue;
            entities.Add(entity);
            origin[entity] = item;
        }
        if (remembered is not null && errors.IsEmpty) validated!.Replace(remembered);

        ReportDuplicatesOfInvalidEntries();
        foreach (var problem in ConfigChecker.Check(ConfigData.From(0, entities)))
        {
            // Every reference was resolved against the document above; what still dangles points at an entry
            // that failed validation, which has its own error already.
            if (problem.Problem == ConfigProblemKind.DanglingReference) continue;
            var item = origin[problem.Entity];
            errors.Add(item.Location.Child(problem.Field), problem.Message, item.Info);
        }
        return entities;
    }

    /// <summary>
    /// The checker only sees entries that became entities. So that a name repeated by an entry with other errors
    /// is reported in the same pass, unique fields are compared here whenever one of the two entries is invalid.
    /// </summary>
    private void ReportDuplicatesOfInvalidEntries()
    {
        var seen = new Dictionary<(string Kind, string Field, string Value), PendingEntity>();
        foreach (var item in pending)
        {
            foreach (var field in item.Kind.UniqueFields)
            {
                if (StringValue(item.Body, field.Name) is not { } value) continue;
                var key = (item.Kind.Name, field.Name, value);
                if (seen.TryAdd(key, item)) continue;
                var at = item.Location.Child(field.Name);
                if ((item.Failed || seen[key].Failed) && !errors.Has(at))
                    errors.Add(at, $"uniqueness violation: '{item.Kind.Name}' entity with {field.Name} set to '{value}' already declared", item.Info);
            }
        }
    }

    private void ResolveReferences(PendingEntity item)
    {
        foreach (var field in item.Kind.References)
        {
            if (field == item.ParentField)
            {
                item.Body[field.Name] = Reference(item.Parent!.Id.ToString());
                continue;
            }
            var value = item.Body[field.Name];
            if (value is null) continue;
            var at = item.Location.Child(field.Name);
            var wanted = value switch
            {
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                JsonObject { Count: 1 } o when o["id"] is JsonValue id && id.TryGetValue<string>(out var s) => s,
                _ => null,
            };
            var singular = EntityCatalog.Find(field.References!)?.Singular ?? field.References;
            if (wanted is null)
            {
                Fail(item, field, at, $"expected the name or id of a {singular}, or {{\"id\": \"<uuid>\"}}");
                continue;
            }
            var target = Find(field.References!, wanted);
            if (target is not { } targetId)
            {
                var shown = value is JsonValue ? wanted : value.ToJsonString();
                Fail(item, field, at, $"invalid reference '{field.Name}: {shown}' (no such entry in '{field.References}')");
                continue;
            }
            item.Body[field.Name] = Reference(targetId.ToString());
        }
        foreach (var field in item.Kind.ReferenceLists) ResolveListed(item, field);
    }

    /// <summary>Each id of a reference list (a service's ca_certificates) must name an entry of the document.</summary>
    private void ResolveListed(PendingEntity item, FieldSpec field)
    {
        if (item.Body[field.Name] is not JsonArray listed) return;
        for (var i = 0; i < listed.Count; i++)
        {
            // Anything that is not text is the schema's to report.
            if (listed[i] is not JsonValue value || !value.TryGetValue<string>(out var wanted)) continue;
            if (Find(field.References!, wanted) is { } target)
            {
                listed[i] = target.ToString();
                continue;
            }
            errors.Add(item.Location.Child(field.Name),
                $"invalid reference '{field.Name}: {wanted}' (no such entry in '{field.References}')", item.Info);
            item.Failed = true;
            return;
        }
    }

    private void Fail(PendingEntity item, FieldSpec field, Location at, string message)
    {
        errors.Add(at, message, item.Info);
        item.Body[field.Name] = Reference(Unresolved);
        item.Failed = true;
    }

    /// <summary>
    /// Kong looks a reference up by the endpoint key (a name) first, then by id; a scoped document then looks among
    /// the stored entities outside its scope that <c>default_lookup_tags</c> admits.
    /// </summary>
    private Guid? Find(string kind, string wanted)
    {
        if (_byKey.TryGetValue(kind, out var byKey) && byKey.TryGetValue(wanted, out var found)) return found.Id;
        if (Guid.TryParse(wanted, out var id) && _byId.TryGetValue(kind, out var byId) && byId.TryGetValue(id, out found)) return found.Id;
        return outside.Find(kind, wanted);
    }

    private static Guid? GivenId(PendingEntity item) =>
        item.Body["id"] is JsonValue v && v.TryGetValue<string>(out var s) && Guid.TryParse(s, out var id) ? id : null;

    private static void AssignId(PendingEntity item)
    {
        if (item.Body["id"] is not null)
        {
            // A malformed id is reported by validation; the generated one only lets children find this entry.
            item.Id = GivenId(item) ?? GenerateId(item);
            return;
        }
        item.Id = GenerateId(item);
        item.Body["id"] = item.Id.ToString();
    }

    /// <summary>
    /// The same entry always gets the same id: from its name (Kong's scheme, scoped by its parent when the name is
    /// only unique within the parent, as for targets), else from another unique value, else from the values that
    /// must be unique together (a plugin's name and scope), else from its parent and position.
    /// </summary>
    private static Guid GenerateId(PendingEntity item)
    {
        var kind = item.Kind;
        string name;
        if (item.Key is { } key)
        {
            name = key;
            if (!kind.Schema.Field(kind.EndpointKey!)!.Unique)
                foreach (var field in kind.References)
                    if (field.CascadeDelete && ReferencedId(item, field) is { } parentId) name += ":" + parentId;
        }
        else if (OtherUniqueValue(item) is { } unique)
        {
            name = unique;
        }
        else if (kind.UniqueTogether.Count > 0)
        {
            var parts = new List<string> { kind.Name };
            foreach (var fieldName in kind.UniqueTogether)
            {
                var field = kind.Schema.Field(fieldName);
                parts.Add(field?.Kind == FieldKind.Reference ? ReferencedId(item, field)?.ToString() ?? "" : StringValue(item.Body, fieldName) ?? "");
            }
            name = string.Join(":", parts);
        }
        else
        {
            name = item.Parent is { } parent
                ? $"{parent.Kind.Name}:{parent.Id}:{kind.Name}:{item.Index}"
                : $"{kind.Name}:{item.Index}";
        }
        return DeterministicIds.For(kind.Name, name);
    }

    private static string? OtherUniqueValue(PendingEntity item)
    {
        foreach (var field in item.Kind.UniqueFields)
            if (StringValue(item.Body, field.Name) is { } value) return field.Name + ":" + value;
        return null;
    }

    private static Guid? ReferencedId(PendingEntity item, FieldSpec field) =>
        item.Body[field.Name] is JsonObject reference && StringValue(reference, "id") is { } text && Guid.TryParse(text, out var id) ? id : null;

    private static string? StringValue(JsonObject obj, string field) =>
        obj[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private void Remember(PendingEntity item)
    {
        if (!_byId.TryGetValue(item.Kind.Name, out var byId)) _byId[item.Kind.Name] = byId = new Dictionary<Guid, PendingEntity>();
        byId.TryAdd(item.Id, item);
        if (item.Key is not { } key) return;
        if (!_byKey.TryGetValue(item.Kind.Name, out var byKey)) _byKey[item.Kind.Name] = byKey = new Dictionary<string, PendingEntity>(StringComparer.Ordinal);
        byKey.TryAdd(key, item);
    }

    private void SetTimestamps(JsonObject body)
    {
        if (body["created_at"] is null) body["created_at"] = now;
        if (body["updated_at"] is null) body["updated_at"] = body["created_at"]!.DeepClone();
    }

    private static JsonObject Reference(string id) => new() { ["id"] = id };
}
