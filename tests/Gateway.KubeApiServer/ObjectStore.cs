using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.KubeApiServer.Defaulting;
using Gateway.KubeApiServer.FieldManagement;
using Gateway.KubeApiServer.Quantities;

namespace Gateway.KubeApiServer;

/// <summary>Checks a write is subject to just before it is stored: the object as it was (null for a create) and as it will be. Throws to refuse.</summary>
public delegate void Admission(JsonObject? before, JsonObject after);

/// <summary>
/// Every object the server holds, with the API server's write semantics: resourceVersion on every
/// write, generation bumped only when the spec changes, the status subresource, optimistic concurrency,
/// finalizers and deletionTimestamp, owner-reference garbage collection, and an event history for watches.
/// </summary>
public sealed partial class ObjectStore(ResourceCatalog catalog)
{
    readonly object gate = new();
    readonly Dictionary<string, JsonObject> objects = new(StringComparer.Ordinal);
    readonly LinkedList<WatchEvent> history = new();
    readonly List<Watcher> watchers = [];
    long revision = 1000;
    long oldestDroppedRevision;
    readonly Allocations allocations = new();

    /// <summary>How many events watches can resume from; older resourceVersions get 410 Gone.</summary>
    public int HistoryLimit { get; set; } = 10_000;

    public long CurrentRevision
    {
        get { lock (gate) return revision; }
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    static string Key(ResourceType type, string? ns, string name) => $"{Storage(type).Group}/{Storage(type).Plural}/{ns}/{name}";

    /// <summary>The kind whose objects hold <paramref name="type"/>'s: itself, or another version of the same resource (events.k8s.io Events are core Events).</summary>
    static ResourceType Storage(ResourceType type) => type.StoredAs ?? type;

    static long Number(JsonNode? node) => node is null ? 0 : long.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    static JsonObject Meta(JsonObject obj) => obj["metadata"] as JsonObject ?? (JsonObject)(obj["metadata"] = new JsonObject());

    public JsonObject Get(ResourceType type, string? ns, string name)
    {
        lock (gate)
            return Find(type, ns, name).DeepClone().AsObject();
    }

    public (List<JsonObject> Items, long Revision) List(ResourceType type, string? ns, Func<JsonObject, bool> filter)
    {
        lock (gate)
        {
            var items = Stored(type, ns)
                .Select(stored => StoredVersions.ToServed(type, stored.DeepClone().AsObject()))
                .Where(filter)
                .ToList();
            return (items, revision);
        }
    }

    /// <summary>
    /// Creates the object. <paramref name="strict"/> (kubectl's fieldValidation=Strict) refuses unknown fields
    /// instead of dropping them; <paramref name="manager"/>, when given, is recorded as owning what it wrote.
    /// </summary>
    public JsonObject Create(ResourceType type, string? ns, JsonObject body, bool strict = false, string? manager = null, Admission? admit = null)
    {
        lock (gate)
            return CreateLocked(type, ns, body, strict, manager is null ? null : Updater(type, manager, null), managedFieldsReady: false, admit);
    }

    /// <summary>A PUT: the whole object (or, with <paramref name="statusOnly"/>, only its status) is replaced.</summary>
    public JsonObject Update(ResourceType type, string? ns, string name, JsonObject body, bool statusOnly, bool strict = false, string? manager = null, Admission? admit = null)
    {
        lock (gate)
        {
            var existing = Find(type, ns, name);
            var writer = manager is null ? null : Updater(type, manager, statusOnly ? "status" : null);
            return UpdateLocked(type, ns, name, existing, body, statusOnly, strict, writer, managedFieldsReady: false, admit);
        }
    }

    /// <summary>A PATCH: <paramref name="patch"/> turns the current object into the desired one.</summary>
    public JsonObject Patch(ResourceType type, string? ns, string name, Func<JsonObject, JsonObject> patch, bool statusOnly, bool strict = false, string? manager = null, Admission? admit = null)
    {
        lock (gate)
        {
            var existing = Find(type, ns, name);
            var patched = patch(existing.DeepClone().AsObject());
            CheckPrecondition(type, name, existing, patched);
            Meta(patched)["resourceVersion"] = existing["metadata"]!["resourceVersion"]?.DeepClone();
            var writer = manager is null ? null : Updater(type, manager, statusOnly ? "status" : null);
            return UpdateLocked(type, ns, name, existing, patched, statusOnly, strict, writer, managedFieldsReady: false, admit);
        }
    }

    /// <summary>
    /// A server-side apply of <paramref name="config"/> by <paramref name="manager"/>: creates the object when it
    /// does not exist (not through /status), otherwise merges it in with field ownership (409 on a conflict
    /// unless <paramref name="force"/>).
    /// </summary>
    public JsonObject Apply(ResourceType type, string? ns, string name, JsonObject config, string manager, bool force, bool statusOnly, bool strict = false, Admission? admit = null)
    {
        lock (gate)
        {
            AppliedConfiguration.Check(type, ns, name, config);
            var existing = objects.TryGetValue(Key(type, type.Namespaced ? ns : null, name), out var stored) ? StoredVersions.ToServed(type, stored) : null;
            if (existing is null && statusOnly)
                throw ApiError.NotFound(type, name);
            var applier = new FieldManager(manager, FieldManager.Apply, type.GroupVersion, statusOnly ? "status" : null);
            var result = ServerSideApply.Apply(type, existing?.DeepClone().AsObject(), config, applier, force);
            if (existing is null)
                return CreateLocked(type, ns, result, strict, applier, managedFieldsReady: true, admit);
            CheckPrecondition(type, name, existing, result);
            Meta(result)["resourceVersion"] = existing["metadata"]!["resourceVersion"]?.DeepClone();
            return UpdateLocked(type, ns, name, existing, result, statusOnly, strict, applier, managedFieldsReady: true, admit);
        }
    }

    static FieldManager Updater(ResourceType type, string manager, string? subresource) =>
        new(manager.Length == 0 ? "unknown" : manager, FieldManager.Update, type.GroupVersion, subresource);

    // A resourceVersion in a patch or an applied configuration is a precondition, as on a real server.
    static void CheckPrecondition(ResourceType type, string name, JsonObject existing, JsonObject patched)
    {
        var expected = (string?)patched["metadata"]?["resourceVersion"];
        if (!string.IsNullOrEmpty(expected) && expected != (string?)existing["metadata"]!["resourceVersion"])
            throw ApiError.Conflict(type, name);
    }

    JsonObject CreateLocked(ResourceType type, string? ns, JsonObject body, bool strict, FieldManager? writer, bool managedFieldsReady, Admission? admit)
    {
        var obj = body.DeepClone().AsObject();
        var meta = Meta(obj);
        obj["apiVersion"] = type.GroupVersion;
        obj["kind"] = type.Kind;
        var name = (string?)meta["name"];
        if (string.IsNullOrEmpty(name) && meta["generateName"] is JsonValue prefix)
            name = (string)prefix! + Guid.NewGuid().ToString("N")[..5];
        if (string.IsNullOrEmpty(name))
            throw ApiError.Invalid(type, "", ["metadata.name: Required value: name or generateName is required"]);
        if (!DnsSubdomain().IsMatch(name) || name.Length > 253)
            throw ApiError.Invalid(type, name, [$"metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"]);
        if (type.Namespaced)
        {
            if (meta["namespace"] is JsonValue given && (string?)given != ns)
                throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            var namespaces = catalog.Find("", "v1", "namespaces")!;
            if (!objects.ContainsKey(Key(namespaces, null, ns!)))
                throw ApiError.NotFound(namespaces, ns!);
            meta["namespace"] = ns;
        }
        else
            meta.Remove("namespace");
        var key = Key(type, ns, name);
        if (objects.ContainsKey(key))
            throw ApiError.AlreadyExists(type, name);

        meta["name"] = name;
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Now();
        meta.Remove("deletionTimestamp");
        meta.Remove("resourceVersion");
        if (TracksGeneration(type))
            meta["generation"] = 1L;
        if (type.HasStatus)
            obj.Remove("status");
        Decode(type, name, obj, strict);
        if (!managedFieldsReady)
        {
            // Managed fields in the body are taken as they are, as a real server does; otherwise the creator owns what it wrote.
            var entries = ManagedFields.IsReset(meta["managedFields"]) ? [] : ManagedFields.Read(meta["managedFields"]) ?? [];
            if (writer is not null && entries.Count == 0)
            {
                var changes = ManagedFields.Changes(ServerSideApply.EmptyObject(type, obj), obj, FieldSchemas.For(type), type, null);
                entries = ManagedFields.RecordUpdate(entries, changes, writer, creating: true);
            }
            SetManagedFields(obj, entries);
        }
        allocations.OnCreate(type, obj);
        BuiltInValidation.Check(type, name, obj);
        admit?.Invoke(null, obj);

        Commit("ADDED", type, key, obj, previous: null);
        if (type.Plural == "customresourcedefinitions")
            Establish(obj);
        var created = obj.DeepClone().AsObject();
        CollectOrphan(type, ns, name, obj);
        return created;
    }

    // What the server does to a written object as it decodes it: canonical quantities, defaults, and a custom
    // resource's schema (pruning, defaults, validation).
    void Decode(ResourceType type, string name, JsonObject obj, bool strict)
    {
        QuantityFields.Canonicalize(type, obj);
        BuiltInDefaults.Apply(type, obj);
        ValidateCustom(type, name, obj, strict);
    }

    static void SetManagedFields(JsonObject obj, IEnumerable<ManagedEntry> entries)
    {
        if (ManagedFields.Write(entries) is { } written)
            Meta(obj)["managedFields"] = written;
        else
            Meta(obj).Remove("managedFields");
    }

    JsonObject UpdateLocked(ResourceType type, string? ns, string name, JsonObject existing, JsonObject body, bool statusOnly, bool strict, FieldManager? writer, bool managedFieldsReady, Admission? admit)
    {
        var meta = Meta(body);
        if (meta["name"] is JsonValue bodyName && (string?)bodyName != name)
            throw ApiError.BadRequest($"the name of the object ({(string?)bodyName}) does not match the name on the URL ({name})");
        var expected = (string?)meta["resourceVersion"];
        if (!string.IsNullOrEmpty(expected) && expected != (string?)existing["metadata"]!["resourceVersion"])
            throw ApiError.Conflict(type, name);

        JsonObject updated;
        if (statusOnly)
        {
            updated = existing.DeepClone().AsObject();
            updated["status"] = body["status"]?.DeepClone();
            QuantityFields.Canonicalize(type, updated);
        }
        else
        {
            updated = body.DeepClone().AsObject();
            updated["apiVersion"] = type.GroupVersion;
            updated["kind"] = type.Kind;
            if (type.HasStatus)
            {
                updated.Remove("status");
                if (existing["status"] is { } status)
                    updated["status"] = status.DeepClone();
            }
            KeepSystemMetadata(existing, updated);
            Decode(type, name, updated, strict);
        }

        if (managedFieldsReady)
            Meta(updated)["managedFields"] = body["metadata"]?["managedFields"]?.DeepClone();
        else
        {
            // A write through the main resource may set managedFields itself (or clear them); a subresource may not.
            var given = statusOnly ? null : Meta(body)["managedFields"];
            var entries = ManagedFields.IsReset(given) ? []
                : (given is JsonArray { Count: > 0 } ? ManagedFields.Read(given) : null) ?? ManagedFields.Read(existing["metadata"]!["managedFields"]) ?? [];
            if (writer is not null)
            {
                var changes = ManagedFields.Changes(existing, updated, FieldSchemas.For(type), type, writer.Subresource);
                entries = ManagedFields.RecordUpdate(entries, changes, writer, creating: false);
            }
            SetManagedFields(updated, entries);
        }

        if (!statusOnly)
        {
            allocations.OnUpdate(type, existing, updated);
            ImmutableFields.Check(type, name, existing, updated);
            BuiltInValidation.Check(type, name, updated);
        }
        admit?.Invoke(existing, updated);
        return Store(type, ns, name, existing, updated);
    }

    public JsonObject Delete(ResourceType type, string? ns, string name, string propagation = "Background", string? preconditionUid = null, string? preconditionVersion = null)
    {
        lock (gate)
        {
            var existing = Find(type, ns, name);
            var meta = Meta(existing);
            if (preconditionUid is not null && preconditionUid != (string?)meta["uid"])
                throw ApiError.Conflict(type, name);
            if (preconditionVersion is not null && preconditionVersion != (string?)meta["resourceVersion"])
                throw ApiError.Conflict(type, name);

            if (meta["finalizers"] is JsonArray { Count: > 0 })
            {
                if (meta["deletionTimestamp"] is not null)
                    return existing.DeepClone().AsObject();
                var marked = existing.DeepClone().AsObject();
                Meta(marked)["deletionTimestamp"] = Now();
                Meta(marked)["deletionGracePeriodSeconds"] = 0;
                if (TracksGeneration(type))
                    Meta(marked)["generation"] = Number(meta["generation"]) + 1;
                Commit("MODIFIED", type, Key(type, ns, name), marked, existing);
                return marked.DeepClone().AsObject();
            }
            Remove(type, ns, name, existing, propagation);
            return existing.DeepClone().AsObject();
        }
    }

    /// <summary>Registers a watch. Events after <paramref name="fromRevision"/> are replayed; null replays the current state as ADDED.</summary>
    public (List<WatchEvent> Replay, Watcher Watcher) Watch(ResourceType type, string? ns, long? fromRevision)
    {
        lock (gate)
        {
            var watcher = new Watcher(Storage(type), ns);
            List<WatchEvent> replay;
            if (fromRevision is null)
            {
                replay = Stored(type, ns)
                    .Select(o => new WatchEvent("ADDED", Storage(type), o.DeepClone().AsObject(), null, long.Parse((string)o["metadata"]!["resourceVersion"]!, CultureInfo.InvariantCulture)))
                    .ToList();
            }
            else
            {
                if (fromRevision < oldestDroppedRevision)
                    throw ApiError.Gone($"too old resource version: {fromRevision} ({oldestDroppedRevision})");
                replay = history.Where(e => e.Revision > fromRevision && watcher.Wants(e)).ToList();
            }
            watchers.Add(watcher);
            return (replay, watcher);
        }
    }

    public void StopWatching(Watcher watcher)
    {
        lock (gate)
            watchers.Remove(watcher);
        watcher.Events.Writer.TryComplete();
    }

    JsonObject Find(ResourceType type, string? ns, string name) =>
        objects.TryGetValue(Key(type, type.Namespaced ? ns : null, name), out var obj) ? StoredVersions.ToServed(type, obj) : throw ApiError.NotFound(type, name);

    // The stored objects of a kind (in one namespace, or all), ordered by key.
    IEnumerable<JsonObject> Stored(ResourceType type, string? ns)
    {
        var prefix = $"{Storage(type).Group}/{Storage(type).Plural}/{(ns is null ? "" : ns + "/")}";
        return objects
            .Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => pair.Value);
    }

    static bool TracksGeneration(ResourceType type) => type.HasStatus || type.IsCustom;

    // Writes a changed object: a new resourceVersion, a generation bump when anything but metadata and
    // status changed, and removal once a deleting object's last finalizer is gone.
    JsonObject Store(ResourceType type, string? ns, string name, JsonObject existing, JsonObject updated)
    {
        var meta = Meta(updated);
        meta["resourceVersion"] = existing["metadata"]!["resourceVersion"]?.DeepClone();
        if (TracksGeneration(type) && SpecChanged(existing, updated))
            meta["generation"] = Number(existing["metadata"]!["generation"]) + 1;
        if (SameIgnoringManagedFieldTimes(existing, updated))
            return existing.DeepClone().AsObject();

        if (meta["deletionTimestamp"] is not null && meta["finalizers"] is not JsonArray { Count: > 0 })
        {
            Remove(type, ns, name, updated, "Background");
            return updated.DeepClone().AsObject();
        }
        Commit("MODIFIED", type, Key(type, type.Namespaced ? ns : null, name), updated, existing);
        if (type.Plural == "customresourcedefinitions")
            catalog.Register(updated);
        return updated.DeepClone().AsObject();
    }

    // A write that would change nothing but the times in managedFields (an apply of "1024Mi" over a stored
    // "1Gi") changes nothing, as on a real server.
    static bool SameIgnoringManagedFieldTimes(JsonObject existing, JsonObject updated)
    {
        // The entries without their times, in an order that does not depend on them.
        static JsonObject WithoutTimes(JsonObject obj)
        {
            var copy = obj.DeepClone().AsObject();
            if (copy["metadata"]?["managedFields"] is not JsonArray entries)
                return copy;
            var untimed = entries.OfType<JsonObject>().Select(e => e.DeepClone().AsObject()).ToList();
            untimed.ForEach(e => e.Remove("time"));
            copy["metadata"]!["managedFields"] = new JsonArray(untimed.OrderBy(e => e.ToJsonString(), StringComparer.Ordinal).ToArray<JsonNode>());
            return copy;
        }
        return JsonNode.DeepEquals(existing, updated) || JsonNode.DeepEquals(WithoutTimes(existing), WithoutTimes(updated));
    }

    static bool SpecChanged(JsonObject before, JsonObject after)
    {
        static JsonObject WithoutMetadataAndStatus(JsonObject obj)
        {
            var copy = obj.DeepClone().AsObject();
            copy.Remove("metadata");
            copy.Remove("status");
            return copy;
        }
        return !JsonNode.DeepEquals(WithoutMetadataAndStatus(before), WithoutMetadataAndStatus(after));
    }

    static void KeepSystemMetadata(JsonObject existing, JsonObject updated)
    {
        var from = existing["metadata"]!.AsObject();
        var to = Meta(updated);
        foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            if (from[field] is { } value)
                to[field] = value.DeepClone();
            else
                to.Remove(field);
        }
    }

    void ValidateCustom(ResourceType type, string name, JsonObject obj, bool strict)
    {
        if (type.Schema is null)
            return;
        var unknown = new List<string>();
        var errors = SchemaValidation.Apply(type.Schema, obj, unknown);
        if (strict && unknown.Count > 0)
            throw ApiError.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""))}");
        if (errors.Count > 0)
            throw ApiError.Invalid(type, name, errors);
    }

    void Remove(ResourceType type, string? ns, string name, JsonObject last, string propagation)
    {
        var key = Key(type, type.Namespaced ? ns : null, name);
        objects.Remove(key);
        var gone = last.DeepClone().AsObject();
        Commit("DELETED", type, null, gone, last);
        if (type.Plural == "customresourcedefinitions")
            RemoveCustomResources(last);
        if (type.Plural == "namespaces")
            RemoveNamespaceContents(name);
        CollectGarbage((string)last["metadata"]!["uid"]!, propagation);
    }

    // The garbage collector: dependents lose the reference to a deleted owner, and are deleted once no
    // owner is left (unless the deletion orphans them).
    void CollectGarbage(string ownerUid, string propagation)
    {
        var dependents = objects
            .Where(pair => pair.Value["metadata"]?["ownerReferences"] is JsonArray refs && refs.Any(r => (string?)r?["uid"] == ownerUid))
            .ToList();
        foreach (var (key, dependent) in dependents)
        {
            var type = TypeOf(dependent);
            if (type is null)
                continue;
            var meta = dependent["metadata"]!.AsObject();
            var ns = (string?)meta["namespace"];
            var name = (string)meta["name"]!;
            var remaining = meta["ownerReferences"]!.AsArray().Where(r => (string?)r?["uid"] != ownerUid).Select(r => r!.DeepClone()).ToArray();
            var liveOwners = remaining.Count(r => objects.Values.Any(o => (string?)o["metadata"]?["uid"] == (string?)r["uid"]));
            if (propagation != "Orphan" && liveOwners == 0)
            {
                if (objects.ContainsKey(key))
                    Delete(type, ns, name, propagation);
                continue;
            }
            var updated = dependent.DeepClone().AsObject();
            if (remaining.Length == 0)
                Meta(updated).Remove("ownerReferences");
            else
                Meta(updated)["ownerReferences"] = new JsonArray(remaining);
            Store(type, ns, name, dependent, updated);
        }
    }

    // The garbage collector also deletes an object created with owner references none of which is alive (its owner
    // was deleted while the object was being made): the real one does so moments later, here at once.
    void CollectOrphan(ResourceType type, string? ns, string name, JsonObject obj)
    {
        if (Meta(obj)["ownerReferences"] is not JsonArray { Count: > 0 } owners)
            return;
        if (owners.Any(r => objects.Values.Any(o => (string?)o["metadata"]?["uid"] == (string?)r?["uid"])))
            return;
        Delete(type, ns, name);
    }

    ResourceType? TypeOf(JsonObject obj) => catalog.FindKind((string)obj["apiVersion"]!, (string)obj["kind"]!);

    void RemoveCustomResources(JsonObject crd)
    {
        var group = (string)crd["spec"]!["group"]!;
        var plural = (string)crd["spec"]!["names"]!["plural"]!;
        foreach (var (key, obj) in objects.Where(p => p.Key.StartsWith($"{group}/{plural}/", StringComparison.Ordinal)).ToList())
        {
            objects.Remove(key);
            Commit("DELETED", TypeOf(obj)!, null, obj, obj);
        }
        catalog.Unregister(group, plural);
    }

    void RemoveNamespaceContents(string ns)
    {
        foreach (var (key, obj) in objects.Where(p => (string?)p.Value["metadata"]?["namespace"] == ns).ToList())
        {
            objects.Remove(key);
            Commit("DELETED", TypeOf(obj)!, null, obj, obj);
        }
    }

    void Establish(JsonObject crd)
    {
        catalog.Register(crd);
        var established = crd.DeepClone().AsObject();
        var now = Now();
        established["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["reason"] = "NoConflicts", ["lastTransitionTime"] = now },
                new JsonObject { ["type"] = "Established", ["status"] = "True", ["reason"] = "InitialNamesAccepted", ["lastTransitionTime"] = now }),
            ["acceptedNames"] = crd["spec"]!["names"]!.DeepClone(),
        };
        var type = TypeOf(crd)!;
        Commit("MODIFIED", type, Key(type, null, (string)crd["metadata"]!["name"]!), established, crd);
    }

    // Stores (or, with a null key, forgets) the object under a new resourceVersion and tells the watches.
    void Commit(string eventType, ResourceType type, string? key, JsonObject obj, JsonObject? previous)
    {
        revision++;
        Meta(obj)["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
        var stored = StoredVersions.ToStored(type, obj);
        if (key is not null)
            objects[key] = stored;
        var before = previous is null ? null : StoredVersions.ToStored(type, previous.DeepClone().AsObject());
        var change = new WatchEvent(eventType, Storage(type), stored.DeepClone().AsObject(), before, revision);
        history.AddLast(change);
        while (history.Count > HistoryLimit)
        {
            oldestDroppedRevision = history.First!.Value.Revision;
            history.RemoveFirst();
        }
        foreach (var watcher in watchers.Where(w => w.Wants(change)))
            watcher.Events.Writer.TryWrite(change);
    }

    /// <summary>
    /// Forgets the history and ends every open watch with an ERROR event carrying 410 Gone, as a real server does to
    /// watchers its watch cache has left behind: they must list again.
    /// </summary>
    public void ExpireWatches()
    {
        lock (gate)
        {
            oldestDroppedRevision = revision;
            history.Clear();
            foreach (var watcher in watchers)
                watcher.Events.Writer.TryComplete(ApiError.Gone($"too old resource version: expired at {revision}"));
            watchers.Clear();
        }
    }

    /// <summary>Forgets the event history up to now, so watches from any earlier resourceVersion get 410 Gone.</summary>
    public void CompactHistory()
    {
        lock (gate)
        {
            oldestDroppedRevision = revision;
            history.Clear();
        }
    }
}
