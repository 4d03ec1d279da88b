using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer.Authorization;

/// <summary>
/// authorization.k8s.io/v1 SelfSubjectAccessReview: "may I do this?" answered by the same RBAC evaluation as
/// the requests themselves, so that <c>kubectl auth can-i</c> works. kubectl sends the review as protobuf
/// (the only protobuf body this server reads); the answer is JSON, which kubectl also accepts.
/// </summary>
static class AccessReviews
{
    /// <summary>The review a request body carries, from JSON or from Kubernetes' protobuf envelope.</summary>
    public static JsonObject Read(string? contentType, byte[] body)
    {
        if (contentType?.Contains("protobuf", StringComparison.Ordinal) != true)
            return JsonNode.Parse(body) as JsonObject ?? throw ApiError.BadRequest("the request body must be a JSON object");
        // "k8s\0", then runtime.Unknown whose field 2 is the encoded SelfSubjectAccessReview.
        if (body.Length < 4 || Encoding.ASCII.GetString(body, 0, 3) != "k8s" || body[3] != 0)
            throw ApiError.BadRequest("the protobuf body lacks the Kubernetes envelope");
        var review = Protobuf.Fields(Protobuf.Fields(body.AsSpan(4))[2]);
        var spec = review.TryGetValue(2, out var encodedSpec) ? Protobuf.Fields(encodedSpec) : [];
        var result = new JsonObject();
        if (spec.TryGetValue(1, out var resource))
        {
            var fields = Protobuf.Fields(resource);
            string Text(int number) => fields.TryGetValue(number, out var value) ? Encoding.UTF8.GetString(value) : "";
            result["resourceAttributes"] = new JsonObject
            {
                ["namespace"] = Text(1), ["verb"] = Text(2), ["group"] = Text(3), ["version"] = Text(4),
                ["resource"] = Text(5), ["subresource"] = Text(6), ["name"] = Text(7),
            };
        }
        if (spec.TryGetValue(2, out var nonResource))
        {
            var fields = Protobuf.Fields(nonResource);
            result["nonResourceAttributes"] = new JsonObject
            {
                ["path"] = fields.TryGetValue(1, out var path) ? Encoding.UTF8.GetString(path) : "",
                ["verb"] = fields.TryGetValue(2, out var verb) ? Encoding.UTF8.GetString(verb) : "",
            };
        }
        return new JsonObject { ["apiVersion"] = "authorization.k8s.io/v1", ["kind"] = "SelfSubjectAccessReview", ["spec"] = result };
    }

    /// <summary>What the review asks, as an RBAC request.</summary>
    public static AccessRequest Request(JsonObject review)
    {
        var spec = review["spec"];
        string Field(JsonNode? attributes, string name) => (string?)attributes?[name] ?? "";
        if (spec?["resourceAttributes"] is JsonObject resource && spec["nonResourceAttributes"] is null)
        {
            var ns = Field(resource, "namespace");
            var name = Field(resource, "name");
            var subresource = Field(resource, "subresource");
            return new AccessRequest(Field(resource, "verb"), Field(resource, "group"), Field(resource, "resource"),
                subresource.Length == 0 ? null : subresource, ns.Length == 0 ? null : ns, name.Length == 0 ? null : name, null);
        }
        if (spec?["nonResourceAttributes"] is JsonObject nonResource && spec["resourceAttributes"] is null)
            return AccessRequest.ForPath(Field(nonResource, "verb"), Field(nonResource, "path"));
        throw new ApiError(422, "Invalid", "SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified");
    }

    public static JsonObject Answer(JsonObject review, Decision decision)
    {
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0)
            status["reason"] = decision.Reason;
        return new JsonObject
        {
            ["kind"] = "SelfSubjectAccessReview",
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["spec"] = review["spec"]?.DeepClone(),
            ["status"] = status,
        };
    }
}

/// <summary>The little of the protobuf wire format a review needs: a message's length-delimited fields by number.</summary>
static class Protobuf
{
    public static Dictionary<int, byte[]> Fields(ReadOnlySpan<byte> message)
    {
        var fields = new Dictionary<int, byte[]>();
        var at = 0;
        while (at < message.Length)
        {
            var key = Varint(message, ref at);
            var number = (int)(key >> 3);
            switch (key & 7)
            {
                case 0:
                    Varint(message, ref at);
                    break;
                case 1:
                    at += 8;
                    break;
                case 2:
                    var length = (int)Varint(message, ref at);
                    if (at + length > message.Length)
                        throw ApiError.BadRequest("the protobuf body is cut short");
                    fields[number] = message.Slice(at, length).ToArray();
                    at += length;
                    break;
                case 5:
                    at += 4;
                    break;
                default:
                    throw ApiError.BadRequest("the protobuf body is not a message");
            }
        }
        return fields;
    }

    static ulong Varint(ReadOnlySpan<byte> message, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; at < message.Length; shift += 7)
        {
            var next = message[at++];
            value |= (ulong)(next & 0x7f) << shift;
            if ((next & 0x80) == 0)
                return value;
        }
        throw ApiError.BadRequest("the protobuf body is cut short");
    }
}
