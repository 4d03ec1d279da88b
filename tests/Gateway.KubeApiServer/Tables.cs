using System.Globalization;
using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer;

/// <summary>One column of a Table: how kubectl heads it and how a row's cell is computed from the object.</summary>
sealed record TableColumn(string Name, string Type, string Description, int Priority, Func<JsonObject, JsonNode?> Cell);

/// <summary>
/// meta.k8s.io/v1 Table responses, which <c>kubectl get</c> prints: a Name column, then the CRD's printer
/// columns for custom resources, the columns the API server prints for the built-in kinds it has them for
/// here, or an Age column.
/// </summary>
static class Tables
{
    public static JsonObject Render(ResourceType type, IEnumerable<JsonObject> objects, long revision, string? includeObject)
    {
        var printed = type.PrinterColumns.Count > 0
            ? type.PrinterColumns.Select(c => CustomColumn(c!.AsObject())).ToList()
            : BuiltInColumns.For(type) ?? [Age];
        var columns = new JsonArray { Column("Name", "string", "Name must be unique within a namespace.", 0, "name") };
        foreach (var column in printed)
            columns.Add(Column(column.Name, column.Type, column.Description, column.Priority, null));

        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray { (JsonNode?)(string?)obj["metadata"]!["name"] };
            foreach (var column in printed)
                cells.Add(column.Cell(obj));
            var row = new JsonObject { ["cells"] = cells };
            var attached = RowObject(obj, includeObject);
            if (attached is not null)
                row["object"] = attached;
            rows.Add(row);
        }
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) },
            ["columnDefinitions"] = columns,
            ["rows"] = rows,
        };
    }

    /// <summary>The Age column every built-in kind ends with.</summary>
    public static readonly TableColumn Age = new("Age", "string",
        "CreationTimestamp is a timestamp representing the server time when this object was created.", 0,
        obj => Since(obj["metadata"]?["creationTimestamp"]));

    static JsonObject Column(string name, string type, string description, int priority, string? format) =>
        new() { ["name"] = name, ["type"] = type, ["format"] = format ?? "", ["description"] = description, ["priority"] = priority };

    static TableColumn CustomColumn(JsonObject column)
    {
        var type = (string?)column["type"] ?? "string";
        var path = (string)column["jsonPath"]!;
        return new TableColumn((string)column["name"]!, type, (string?)column["description"] ?? "", (int?)column["priority"] ?? 0, obj =>
        {
            var value = JsonPath.Evaluate(obj, path);
            if (value is null)
                return null;
            if (type == "date")
                return Since(value) ?? value.DeepClone();
            return value is JsonValue ? value.DeepClone() : value.ToJsonString();
        });
    }

    static JsonNode? Since(JsonNode? timestamp) =>
        timestamp is not null && DateTimeOffset.TryParse(timestamp.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? HumanDuration(DateTimeOffset.UtcNow - time)
            : null;

    static JsonObject? RowObject(JsonObject obj, string? includeObject) => includeObject switch
    {
        "None" => null,
        "Object" => obj.DeepClone().AsObject(),
        _ => new JsonObject
        {
            ["kind"] = "PartialObjectMetadata",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = obj["metadata"]!.DeepClone(),
        },
    };

    /// <summary>Ages as kubectl shows them: 45s, 3m12s, 17m, 5h3m, 2d4h, 40d.</summary>
    public static string HumanDuration(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
            age = TimeSpan.Zero;
        if (age.TotalMinutes < 2)
            return $"{(int)age.TotalSeconds}s";
        if (age.TotalMinutes < 10)
            return age.Seconds == 0 ? $"{(int)age.TotalMinutes}m" : $"{(int)age.TotalMinutes}m{age.Seconds}s";
        if (age.TotalHours < 3)
            return $"{(int)age.TotalMinutes}m";
        if (age.TotalHours < 8)
            return age.Minutes == 0 ? $"{(int)age.TotalHours}h" : $"{(int)age.TotalHours}h{age.Minutes}m";
        if (age.TotalHours < 48)
            return $"{(int)age.TotalHours}h";
        if (age.TotalDays < 8)
            return age.Hours == 0 ? $"{(int)age.TotalDays}d" : $"{(int)age.TotalDays}d{age.Hours}h";
        return $"{(int)age.TotalDays}d";
    }
}
