using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer.FieldManagement;

/// <summary>How a node of an object merges and is owned.</summary>
public enum Shape
{
    /// <summary>An object whose named fields are owned one by one (the default for objects).</summary>
    Struct,
    /// <summary>An object of arbitrary keys (labels, data, resource lists), each key owned by itself.</summary>
    Map,
    /// <summary>A list merged by the keys of its items (containers by name).</summary>
    KeyedList,
    /// <summary>A list of distinct scalars merged by value (finalizers).</summary>
    Set,
    /// <summary>Replaced and owned as a whole: scalars, and lists or objects declared atomic.</summary>
    Atomic,
}

/// <summary>
/// The part of a kind's schema server-side apply needs: which lists merge by key (and their keys), which
/// are sets, which objects are atomic, which are maps. What is not described is a struct when it is an
/// object and atomic when it is a list, as the API server treats lists without a list type.
/// </summary>
public sealed class SchemaNode
{
    public static readonly SchemaNode Unknown = new(Shape.Struct);

    SchemaNode(Shape shape) => Shape = shape;

    public Shape Shape { get; private init; }

    public IReadOnlyList<string> Keys { get; private init; } = [];

    /// <summary>Values a key takes when an item leaves it out (a container port's protocol is TCP).</summary>
    public IReadOnlyDictionary<string, JsonNode> KeyDefaults { get; private init; } = new Dictionary<string, JsonNode>();

    public IReadOnlyDictionary<string, SchemaNode> Fields { get; private init; } = new Dictionary<string, SchemaNode>();

    /// <summary>The schema of a map's values or a list's items.</summary>
    public SchemaNode? Element { get; private init; }

    public SchemaNode Field(string name) =>
        Fields.TryGetValue(name, out var field) ? field : Shape == Shape.Map ? Element ?? Unknown : Unknown;

    public SchemaNode Item => Element ?? Unknown;

    /// <summary>How a value of this node is treated: a list without a declared list type is atomic, and so is anything of another type than declared.</summary>
    public Shape ShapeOf(JsonNode? value) => value switch
    {
        JsonArray when Shape is Shape.KeyedList or Shape.Set => Shape,
        JsonObject when Shape is Shape.Struct or Shape.Map => Shape,
        _ => Shape.Atomic,
    };

    public static SchemaNode Struct(params (string Name, SchemaNode Schema)[] fields) =>
        new(Shape.Struct) { Fields = fields.ToDictionary(f => f.Name, f => f.Schema) };

    public static SchemaNode Map(SchemaNode? values = null) => new(Shape.Map) { Element = values };

    public static SchemaNode KeyedList(string[] keys, SchemaNode? items = null, Dictionary<string, JsonNode>? defaults = null) =>
        new(Shape.KeyedList) { Keys = keys, Element = items, KeyDefaults = defaults ?? [] };

    public static readonly SchemaNode Set = new(Shape.Set);

    public static readonly SchemaNode Atomic = new(Shape.Atomic);

    /// <summary>Reads the list and map types a CRD's structural schema declares.</summary>
    public static SchemaNode FromOpenApi(JsonObject? schema)
    {
        if (schema is null)
            return Unknown;
        var type = (string?)schema["type"];
        if (type == "array")
        {
            var items = schema["items"] as JsonObject;
            switch ((string?)schema["x-kubernetes-list-type"])
            {
                case "map":
                    var keys = schema["x-kubernetes-list-map-keys"]?.AsArray().Select(k => (string)k!).ToArray() ?? [];
                    var defaults = keys
                        .Where(k => items?["properties"]?[k]?["default"] is not null)
                        .ToDictionary(k => k, k => items!["properties"]![k]!["default"]!.DeepClone());
                    return KeyedList(keys, FromOpenApi(items), defaults);
                case "set":
                    return Set;
                default:
                    return Atomic;
            }
        }
        if (type == "object" || schema["properties"] is not null || schema["additionalProperties"] is not null)
        {
            if ((string?)schema["x-kubernetes-map-type"] == "atomic")
                return Atomic;
            if (schema["properties"] is JsonObject properties)
                return Struct(properties.Select(p => (p.Key, FromOpenApi(p.Value as JsonObject))).ToArray());
            if (schema["additionalProperties"] is JsonObject values)
                return Map(FromOpenApi(values));
            return Map();
        }
        return type is null ? Unknown : Atomic;
    }
}

/// <summary>The schemas of the kinds the server serves, as their Go types declare them (listType, listMapKey, mapType, structType).</summary>
public static class FieldSchemas
{
    static readonly SchemaNode ObjectMeta = SchemaNode.Struct(
        ("labels", SchemaNode.Map()),
        ("annotations", SchemaNode.Map()),
        ("finalizers", SchemaNode.Set),
        ("ownerReferences", SchemaNode.KeyedList(["uid"], SchemaNode.Atomic)),
        ("managedFields", SchemaNode.Atomic));

    // metav1.LabelSelector is a structType=atomic.
    static readonly SchemaNode LabelSelector = SchemaNode.Atomic;

    static readonly Dictionary<string, JsonNode> TcpByDefault = new() { ["protocol"] = "TCP" };

    static readonly SchemaNode ResourceRequirements = SchemaNode.Struct(
        ("requests", SchemaNode.Map()),
        ("limits", SchemaNode.Map()),
        ("claims", SchemaNode.KeyedList(["name"])));

    static readonly SchemaNode Container = SchemaNode.Struct(
        ("ports", SchemaNode.KeyedList(["containerPort", "protocol"], defaults: TcpByDefault)),
        ("env", SchemaNode.KeyedList(["name"], SchemaNode.Struct(("valueFrom", SchemaNode.Struct(
            ("fieldRef", SchemaNode.Atomic), ("resourceFieldRef", SchemaNode.Atomic),
            ("configMapKeyRef", SchemaNode.Atomic), ("secretKeyRef", SchemaNode.Atomic), ("fileKeyRef", SchemaNode.Atomic)))))),
        ("volumeMounts", SchemaNode.KeyedList(["mountPath"], SchemaNode.Struct(("bindMountOptions", SchemaNode.Set)))),
        ("volumeDevices", SchemaNode.KeyedList(["devicePath"])),
        ("resources", ResourceRequirements));

    static readonly SchemaNode PersistentVolumeClaim = SchemaNode.Struct(
        ("metadata", ObjectMeta),
        ("spec", SchemaNode.Struct(("resources", ResourceRequirements), ("selector", LabelSelector), ("dataSource", SchemaNode.Atomic))),
        ("status", SchemaNode.Struct(("conditions", ConditionsByType()), ("capacity", SchemaNode.Map()), ("allocatedResources", SchemaNode.Map()))));

    static readonly SchemaNode PodSpec = SchemaNode.Struct(
        ("containers", SchemaNode.KeyedList(["name"], Container)),
        ("initContainers", SchemaNode.KeyedList(["name"], Container)),
        ("ephemeralContainers", SchemaNode.KeyedList(["name"], Container)),
        ("volumes", SchemaNode.KeyedList(["name"], SchemaNode.Struct(
            ("ephemeral", SchemaNode.Struct(("volumeClaimTemplate", PersistentVolumeClaim))),
            ("secret", SchemaNode.Struct()), ("configMap", SchemaNode.Struct())))),
        ("imagePullSecrets", SchemaNode.KeyedList(["name"], SchemaNode.Atomic)),
        ("nodeSelector", SchemaNode.Atomic),
        ("hostAliases", SchemaNode.KeyedList(["ip"])),
        ("topologySpreadConstraints", SchemaNode.KeyedList(["topologyKey", "whenUnsatisfiable"], SchemaNode.Struct(("labelSelector", LabelSelector)))),
        ("schedulingGates", SchemaNode.KeyedList(["name"])),
        ("resourceClaims", SchemaNode.KeyedList(["name"])),
        ("overhead", SchemaNode.Map()),
        ("resources", ResourceRequirements));

    static readonly SchemaNode PodTemplate = SchemaNode.Struct(("metadata", ObjectMeta), ("spec", PodSpec));

    static SchemaNode ConditionsByType() => SchemaNode.KeyedList(["type"]);

    static SchemaNode Kind(SchemaNode? spec = null, SchemaNode? status = null, params (string Name, SchemaNode Schema)[] other) =>
        SchemaNode.Struct([("metadata", ObjectMeta), ("spec", spec ?? SchemaNode.Unknown), ("status", status ?? SchemaNode.Unknown), .. other]);

    static readonly Dictionary<(string Group, string Kind), SchemaNode> BuiltIn = new()
    {
        [("", "Pod")] = Kind(PodSpec, SchemaNode.Struct(("conditions", ConditionsByType()), ("podIPs", SchemaNode.KeyedList(["ip"])))),
        [("", "Service")] = Kind(
            SchemaNode.Struct(("ports", SchemaNode.KeyedList(["port", "protocol"], defaults: TcpByDefault)), ("selector", SchemaNode.Atomic)),
            SchemaNode.Struct(("conditions", ConditionsByType()))),
        [("", "Secret")] = Kind(other: [("data", SchemaNode.Map()), ("stringData", SchemaNode.Map())]),
        [("", "ConfigMap")] = Kind(other: [("data", SchemaNode.Map()), ("binaryData", SchemaNode.Map())]),
        [("", "PersistentVolumeClaim")] = PersistentVolumeClaim,
        [("", "Namespace")] = Kind(status: SchemaNode.Struct(("conditions", ConditionsByType()))),
        [("", "ServiceAccount")] = Kind(other: [("secrets", SchemaNode.KeyedList(["name"]))]),
        [("apps", "Deployment")] = Kind(
            SchemaNode.Struct(("selector", LabelSelector), ("template", PodTemplate)),
            SchemaNode.Struct(("conditions", ConditionsByType()))),
        [("apps", "StatefulSet")] = Kind(
            SchemaNode.Struct(("selector", LabelSelector), ("template", PodTemplate)),
            SchemaNode.Struct(("conditions", ConditionsByType()))),
        [("batch", "Job")] = Kind(SchemaNode.Struct(("selector", LabelSelector), ("template", PodTemplate))),
        [("policy", "PodDisruptionBudget")] = Kind(
            SchemaNode.Struct(("selector", LabelSelector)),
            SchemaNode.Struct(("conditions", ConditionsByType()), ("disruptedPods", SchemaNode.Map()))),
        [("networking.k8s.io", "NetworkPolicy")] = Kind(SchemaNode.Struct(("podSelector", LabelSelector))),
        [("networking.k8s.io", "Ingress")] = Kind(SchemaNode.Struct(("defaultBackend", SchemaNode.Struct(("service", SchemaNode.Struct(("port", SchemaNode.Atomic))))))),
        [("discovery.k8s.io", "EndpointSlice")] = Kind(other: [("endpoints", SchemaNode.Atomic), ("ports", SchemaNode.Atomic)]),
        [("rbac.authorization.k8s.io", "RoleBinding")] = Kind(other: [("roleRef", SchemaNode.Atomic)]),
        [("rbac.authorization.k8s.io", "ClusterRoleBinding")] = Kind(other: [("roleRef", SchemaNode.Atomic)]),
    };

    /// <summary>The schema of <paramref name="type"/>: its CRD's for a custom resource, the Go types' for a built-in one.</summary>
    public static SchemaNode For(ResourceType type)
    {
        if (type.IsCustom)
        {
            var custom = SchemaNode.FromOpenApi(type.Schema);
            var fields = custom.Fields.Where(f => f.Key != "metadata").Select(f => (f.Key, f.Value)).Append(("metadata", ObjectMeta)).ToArray();
            return SchemaNode.Struct(fields);
        }
        return BuiltIn.TryGetValue((type.Group, type.Kind), out var schema) ? schema : Kind();
    }
}
