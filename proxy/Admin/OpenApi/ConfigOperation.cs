using System.Text.Json.Nodes;

namespace Gateway.Proxy.Admin.OpenApi;

/// <summary>What <c>POST /config</c> takes and answers beyond a generic fixed endpoint: its flags and its scoped form.</summary>
internal static class ConfigOperation
{
    public static void Describe(JsonObject post)
    {
        post["description"] =
            "Loads a declarative configuration (Kong's format, YAML or JSON). Without `_info.select_tags` it replaces the "
            + "whole configuration (201). With `_info.select_tags` (decK's distributed configuration) it replaces, in one "
            + "transaction, only the entities carrying all those tags: entries of the document are created or updated "
            + "(their ids kept), tagged entities missing from it are deleted, all others are left alone. Every entry must "
            + "carry the select tags; `_info.default_lookup_tags` ({collection: [tags]}, [] for any) lets entries reference "
            + "stored entities outside the scope by name or id. A scoped document identical to what is stored writes "
            + "nothing: 200 instead of 201, or 304 with check_hash=1. Scoped answers add `_changes` "
            + "({created, updated, deleted}). Any invalid entry, or an entry taking the id or unique name of an entity "
            + "outside the scope, changes nothing: 400 with Kong's code 14 body and `flattened_errors` (per entity: "
            + "entity_type, entity_name, entity_id, entity_tags, errors[{type, field, message}]).";
        post["parameters"] = new JsonArray(
            Flag("dry_run", "Only check the document; nothing is written (200)."),
            Flag("flatten_errors", "Accepted for Kong compatibility; `flattened_errors` is always part of a 400 answer."),
            Flag("check_hash", "Scoped documents: answer 304 without a body when nothing would change."));
        var responses = post["responses"]!.AsObject();
        var loaded = new JsonObject { ["type"] = "object", ["additionalProperties"] = true };
        responses["201"] = OpenApiDocument.Response("Loaded: the document's entities by collection and id (and `_changes` when scoped)", loaded);
        responses["200"] = OpenApiDocument.Response("Dry run, or a scoped document that changed nothing (nothing written)", loaded.DeepClone().AsObject());
        responses["304"] = new JsonObject { ["description"] = "check_hash=1 and the scoped document changes nothing" };
        responses["400"] = OpenApiDocument.Response("Invalid document or a collision with entities outside the scope; nothing applied", OpenApiDocument.Ref("Error"));
    }

    private static JsonObject Flag(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["required"] = false,
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "boolean" },
    };
}
