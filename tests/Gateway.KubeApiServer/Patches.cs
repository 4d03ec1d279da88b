using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer;

/// <summary>The patch formats kubectl and controllers send.</summary>
public static class Patches
{
    /// <summary>RFC 7386 JSON merge patch: objects merge, null deletes, everything else replaces.</summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
            return patch?.DeepClone();
        var result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
                result.Remove(key);
            else
                result[key] = Merge(result[key], value);
        }
        return result;
    }

    /// <summary>
    /// Strategic merge patch, for the lists kubectl patches by key: containers, env, ports, volumes and
    /// the like merge element-wise by their merge key; other lists replace. Directives ($patch,
    /// $setElementOrder, $retainKeys, $deleteFromPrimitiveList) are honoured where they matter and dropped.
    /// </summary>
    public static JsonNode? Strategic(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
            return patch?.DeepClone();
        if ((string?)patchObject["$patch"] == "replace")
        {
            var replaced = patchObject.DeepClone().AsObject();
            replaced.Remove("$patch");
            return replaced;
        }
        var result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (key.StartsWith('$'))
                continue;
            if (value is null)
                result.Remove(key);
            else if (value is JsonArray patchList && MergeKey(key) is { } mergeKey && result[key] is JsonArray targetList)
                result[key] = MergeList(targetList, patchList, mergeKey);
            else
                result[key] = Strategic(result[key], value);
        }
        foreach (var key in patchObject.Select(p => p.Key).Where(k => k.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal)))
        {
            var field = key["$deleteFromPrimitiveList/".Length..];
            if (result[field] is JsonArray list)
            {
                var remove = patchObject[key]!.AsArray().Select(v => v?.ToJsonString()).ToHashSet();
                result[field] = new JsonArray(list.Where(v => !remove.Contains(v?.ToJsonString())).Select(v => v?.DeepClone()).ToArray());
            }
        }
        return result;
    }

    static JsonArray MergeList(JsonArray target, JsonArray patch, string mergeKey)
    {
        var result = target.Select(e => e?.DeepClone()).ToList();
        foreach (var element in patch)
        {
            if (element is not JsonObject patchElement || patchElement[mergeKey] is not JsonValue keyValue)
            {
                result.Add(element?.DeepClone());
                continue;
            }
            var key = keyValue.ToJsonString();
            var index = result.FindIndex(e => e?[mergeKey]?.ToJsonString() == key);
            if ((string?)patchElement["$patch"] == "delete")
            {
                if (index >= 0)
                    result.RemoveAt(index);
            }
            else if (index >= 0)
                result[index] = Strategic(result[index], patchElement);
            else
                result.Add(Strategic(null, patchElement));
        }
        return new JsonArray(result.ToArray());
    }

    // The merge keys Kubernetes declares for the lists kubectl most often patches.
    static string? MergeKey(string field) => field switch
    {
        "containers" or "initContainers" or "env" or "volumes" or "imagePullSecrets" => "name",
        "ports" => "port",
        "volumeMounts" => "mountPath",
        "conditions" => "type",
        "ownerReferences" => "uid",
        _ => null,
    };

    /// <summary>RFC 6902 JSON patch: add, remove, replace, move, copy, test.</summary>
    public static JsonNode Json(JsonNode target, JsonArray operations)
    {
        var document = target.DeepClone();
        foreach (var operation in operations.Select(o => o!.AsObject()))
        {
            var op = (string?)operation["op"];
            var path = (string)operation["path"]!;
            switch (op)
            {
                case "add":
                    document = Add(document, path, operation["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(document, path);
                    break;
                case "replace":
                    Remove(document, path);
                    document = Add(document, path, operation["value"]?.DeepClone());
                    break;
                case "move":
                    var moved = Resolve(document, (string)operation["from"]!)?.DeepClone();
                    Remove(document, (string)operation["from"]!);
                    document = Add(document, path, moved);
                    break;
                case "copy":
                    document = Add(document, path, Resolve(document, (string)operation["from"]!)?.DeepClone());
                    break;
                case "test":
                    if (Resolve(document, path)?.ToJsonString() != operation["value"]?.ToJsonString())
                        throw new ApiError(422, "Invalid", $"the test operation failed at {path}");
                    break;
                default:
                    throw ApiError.BadRequest($"unknown JSON patch operation '{op}'");
            }
        }
        return document;
    }

    static string[] Tokens(string pointer) =>
        pointer.Length == 0 ? [] : pointer[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToArray();

    static JsonNode? Resolve(JsonNode? node, string pointer)
    {
        foreach (var token in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject obj => obj[token],
                JsonArray array when int.TryParse(token, out var i) && i < array.Count => array[i],
                _ => throw new ApiError(422, "Invalid", $"path {pointer} does not exist"),
            };
        }
        return node;
    }

    static JsonNode Add(JsonNode document, string pointer, JsonNode? value)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0)
            return value ?? throw ApiError.BadRequest("cannot replace the document with null");
        var parent = Resolve(document, "/" + string.Join('/', tokens[..^1].Select(t => t.Replace("~", "~0").Replace("/", "~1"))));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array:
                if (last == "-") array.Add(value);
                else array.Insert(int.Parse(last), value);
                break;
            default:
                throw new ApiError(422, "Invalid", $"path {pointer} does not exist");
        }
        return document;
    }

    static void Remove(JsonNode document, string pointer)
    {
        var tokens = Tokens(pointer);
        var parent = Resolve(document, "/" + string.Join('/', tokens[..^1].Select(t => t.Replace("~", "~0").Replace("/", "~1"))));
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(tokens[^1]):
                obj.Remove(tokens[^1]);
                break;
            case JsonArray array when int.TryParse(tokens[^1], out var i) && i < array.Count:
                array.RemoveAt(i);
                break;
            default:
                throw new ApiError(422, "Invalid", $"path {pointer} does not exist");
        }
    }
}
