using System.Globalization;
using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer;

/// <summary>
/// meta.k8s.io/v1 Table responses, which <c>kubectl get</c> prints: a Name column, the CRD's printer
/// columns for custom resources (an Age column for built-in kinds), one row per object.
/// </summary>
static class Tables
{
    public static JsonObject Render(ResourceType type, IEnumerable<JsonObject> objects, long revision, string? includeObject)
    {
        var columns = new JsonArray
        {
            Column("Name", "string", "Name must be unique within a namespace.", 0, "name"),
        };
        var printerColumns = type.PrinterColumns.Count > 0
            ? type.PrinterColumns.Select(c => c!.AsObject()).ToList()
            : [new JsonObject { ["name"] = "Age", ["type"] = "date", ["jsonPath"] = ".metadata.creationTimestamp" }];
        foreach (var column in printerColumns)
            columns.Add(Column((string)column["name"]!, (string?)column["type"] ?? "string", (string?)column["description"] ?? "", (int?)column["priority"] ?? 0, null));

        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray { (JsonNode?)(string?)obj["metadata"]!["name"] };
            foreach (var column in printerColumns)
                cells.Add(Cell(obj, column));
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

    static JsonObject Column(string name, string type, string description, int priority, string? format)
    {
        var column = new JsonObject { ["name"] = name, ["type"] = type, ["format"] = format ?? "", ["description"] = description, ["priority"] = priority };
        return column;
    }

    static JsonNode? Cell(JsonObject obj, JsonObject column)
    {
        var value = JsonPath.Evaluate(obj, (string)column["jsonPath"]!);
        if (value is null)
            return null;
        if ((string?)column["type"] == "date" && DateTimeOffset.TryParse(value.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return HumanDuration(DateTimeOffset.UtcNow - time);
        return value is JsonValue ? value.DeepClone() : value.ToJsonString();
    }

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
