using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.KubeApiServer.Authorization;
using Gateway.KubeApiServer.FieldManagement;
using Microsoft.AspNetCore.Http;

namespace Gateway.KubeApiServer;

/// <summary>
/// Serves the Kubernetes REST API over the <see cref="ObjectStore"/>, in JSON (an applied configuration may be
/// YAML, and a SelfSubjectAccessReview protobuf, as kubectl sends them).
/// </summary>
sealed class ApiEndpoints(KubeApiServer server)
{
    ResourceCatalog Catalog => server.Catalog;
    ObjectStore Store => server.Store;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        server.Record(request.Method, request.Path + request.QueryString);
        if (context.Connection.ClientCertificate is { } clientCertificate)
            server.LastClientCertificateSubject = clientCertificate.Subject;
        try
        {
            if (!server.Authorization && server.RequiredToken is { } token && request.Headers.Authorization != $"Bearer {token}")
                throw new ApiError(401, "Unauthorized", "Unauthorized");
            var user = server.Access.Authenticate(request.Headers.Authorization);
            var segments = request.Path.Value!.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (await TryDiscoveryAsync(context, segments, user))
                return;
            var target = ResourceRequest.Parse(Catalog, segments)
                ?? throw new ApiError(404, "NotFound", "the server could not find the requested resource");
            await HandleResourceAsync(context, target, user);
        }
        catch (ApiError error)
        {
            if (!context.Response.HasStarted)
                await WriteJsonAsync(context, error.Code, error.ToStatus());
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (Exception unexpected) when (!context.Response.HasStarted)
        {
            await WriteJsonAsync(context, 500, new ApiError(500, "InternalError", unexpected.ToString()).ToStatus());
        }
    }

    async Task<bool> TryDiscoveryAsync(HttpContext context, string[] segments, UserInfo? user)
    {
        JsonObject? document = segments switch
        {
            ["api"] => Discovery.CoreVersions(context.Request.Host.Value ?? "127.0.0.1"),
            ["apis"] => Discovery.Groups(Catalog),
            ["api", var version] => Discovery.Resources(Catalog, "", version),
            ["apis", var group] => Discovery.Group(Catalog, group),
            ["apis", var group, var version] => Discovery.Resources(Catalog, group, version),
            ["openapi", "v3"] => OpenApi.Root(Catalog),
            ["openapi", "v3", .. var path] => OpenApi.GroupVersion(Catalog, string.Join('/', path)),
            ["version"] => new JsonObject { ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.0-tollgate-test", ["platform"] = "linux/amd64" },
            _ => null,
        };
        if (document is null)
        {
            if (segments is ["api", _] or ["apis", _] or ["apis", _, _])
                throw new ApiError(404, "NotFound", "the server could not find the requested resource");
            return false;
        }
        server.Access.CheckPath(user, context.Request.Path.Value!);
        await WriteJsonAsync(context, 200, document);
        return true;
    }

    async Task HandleResourceAsync(HttpContext context, ResourceRequest target, UserInfo? user)
    {
        var request = context.Request;
        var query = request.Query;
        var (type, ns, name, subresource) = target;
        if (type.Namespaced && ns is null && request.Method != "GET")
            throw ApiError.BadRequest("a namespace is required for this resource");
        if (subresource is not null && (subresource != "status" || !type.HasStatus))
            throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        var statusOnly = subresource == "status";
        var strict = (string?)query["fieldValidation"] == "Strict";

        server.Access.Check(user, AccessChecks.Of(request.Method, target, IsWatch(query)));
        if (type.CreateOnly)
        {
            await ReviewAsync(context, user);
            return;
        }
        if (request.Method is "POST" or "PUT" or "PATCH" or "DELETE")
            server.ThrowInjectedFault(type, request.Method);
        // The checks made on the object a write is about to store.
        void Admit(JsonObject? before, JsonObject after) => server.Access.Admit(user, target, request.Method, before, after);

        switch (request.Method)
        {
            case "GET" when name is null && IsWatch(query):
                await WatchAsync(context, type, ns);
                break;
            case "GET" when name is null:
                await ListAsync(context, type, ns);
                break;
            case "GET":
                var one = Store.Get(type, ns, name);
                if (WantsTable(request))
                    await WriteJsonAsync(context, 200, Tables.Render(type, [one], Store.CurrentRevision, query["includeObject"]));
                else
                    await WriteJsonAsync(context, 200, one);
                break;
            case "POST" when name is null:
                await WriteJsonAsync(context, 201, Store.Create(type, ns, await ReadObjectAsync(request), strict, Manager(request), Admit));
                break;
            case "PUT" when name is not null:
                await WriteJsonAsync(context, 200, Store.Update(type, ns, name, await ReadObjectAsync(request), statusOnly, strict, Manager(request), Admit));
                break;
            case "PATCH" when name is not null:
                var existed = Existing(type, ns, name) is not null;
                var result = await PatchAsync(request, type, ns, name, statusOnly, strict, Admit);
                await WriteJsonAsync(context, existed ? 200 : 201, result);
                break;
            case "DELETE" when name is not null:
                var options = await ReadOptionalObjectAsync(request);
                var propagation = (string?)query["propagationPolicy"] ?? (string?)options?["propagationPolicy"] ?? "Background";
                var deleted = Store.Delete(type, ns, name, propagation,
                    (string?)options?["preconditions"]?["uid"], (string?)options?["preconditions"]?["resourceVersion"]);
                await WriteJsonAsync(context, 200, deleted);
                break;
            default:
                throw new ApiError(405, "MethodNotAllowed", $"{request.Method} is not supported here");
        }
    }

    JsonObject? Existing(ResourceType type, string? ns, string name)
    {
        try
        {
            return Store.Get(type, ns, name);
        }
        catch (ApiError missing) when (missing.Code == 404)
        {
            return null;
        }
    }

    // A SelfSubjectAccessReview: the caller asks what it may do, and RBAC answers as for its requests.
    async Task ReviewAsync(HttpContext context, UserInfo? user)
    {
        if (context.Request.Method != "POST")
            throw new ApiError(405, "MethodNotAllowed", $"{context.Request.Method} is not supported here");
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var review = AccessReviews.Read(context.Request.ContentType, body.ToArray());
        var decision = server.Access.Decide(user, AccessReviews.Request(review));
        await WriteJsonAsync(context, 201, AccessReviews.Answer(review, decision));
    }

    static bool IsWatch(IQueryCollection query) => (string?)query["watch"] is "true" or "1";

    static bool WantsTable(HttpRequest request) =>
        request.Headers.Accept.ToString().Split(',').FirstOrDefault()?.Contains("as=Table", StringComparison.Ordinal) == true;

    async Task ListAsync(HttpContext context, ResourceType type, string? ns)
    {
        var query = context.Request.Query;
        var filter = Filter(query);
        var (items, revision) = Store.List(type, ns, filter);
        string? next = null;
        if (int.TryParse(query["limit"], out var limit) && limit > 0)
        {
            var start = string.IsNullOrEmpty(query["continue"]) ? 0 : int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(query["continue"]!)), CultureInfo.InvariantCulture);
            if (start + limit < items.Count)
                next = Convert.ToBase64String(Encoding.UTF8.GetBytes((start + limit).ToString(CultureInfo.InvariantCulture)));
            items = items.Skip(start).Take(limit).ToList();
        }

        if (WantsTable(context.Request))
        {
            var table = Tables.Render(type, items, revision, query["includeObject"]);
            if (next is not null)
                table["metadata"]!["continue"] = next;
            await WriteJsonAsync(context, 200, table);
            return;
        }
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (next is not null)
            metadata["continue"] = next;
        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = type.Kind + "List",
            ["apiVersion"] = type.GroupVersion,
            ["metadata"] = metadata,
            ["items"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()),
        });
    }

    // A watch is a chunked stream of newline-separated {"type","object"} events, with periodic BOOKMARKs
    // when asked for, and an ERROR event carrying 410 Gone when the resourceVersion is too old.
    async Task WatchAsync(HttpContext context, ResourceType type, string? ns)
    {
        var query = context.Request.Query;
        var filter = Filter(query);
        var bookmarks = (string?)query["allowWatchBookmarks"] == "true";
        string? fromText = query["resourceVersion"];
        long? from = string.IsNullOrEmpty(fromText) || fromText == "0" ? null : long.Parse(fromText, CultureInfo.InvariantCulture);
        var timeout = int.TryParse(query["timeoutSeconds"], out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(30);

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        List<WatchEvent> replay;
        Watcher watcher;
        try
        {
            (replay, watcher) = Store.Watch(type, ns, from);
        }
        catch (ApiError gone) when (gone.Code == 410)
        {
            await WriteEventAsync(context, "ERROR", gone.ToStatus());
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, server.Stopping);
        deadline.CancelAfter(timeout);
        try
        {
            await context.Response.StartAsync(deadline.Token);
            foreach (var change in replay)
                await SendAsync(context, type, change, filter);
            var reader = watcher.Events.Reader;
            while (!deadline.IsCancellationRequested)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                tick.CancelAfter(server.BookmarkInterval);
                try
                {
                    var change = await reader.ReadAsync(tick.Token);
                    await SendAsync(context, type, change, filter);
                }
                catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                {
                    if (bookmarks)
                        await WriteEventAsync(context, "BOOKMARK", Bookmark(type, Store.CurrentRevision));
                }
                catch (System.Threading.Channels.ChannelClosedException closed)
                {
                    if (closed.InnerException is ApiError { Code: 410 } gone)
                        await WriteEventAsync(context, "ERROR", gone.ToStatus());
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Store.StopWatching(watcher);
        }
    }

    static JsonObject Bookmark(ResourceType type, long revision) => new()
    {
        ["kind"] = type.Kind,
        ["apiVersion"] = type.GroupVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) },
    };

    // Events are kept in the stored version; a watch sees them in the version it asked for.
    static async Task SendAsync(HttpContext context, ResourceType type, WatchEvent change, Func<JsonObject, bool> filter)
    {
        var obj = StoredVersions.ToServed(type, change.Object);
        var matches = filter(obj);
        var matchedBefore = change.Previous is not null && change.Type == "MODIFIED" && filter(StoredVersions.ToServed(type, change.Previous));
        if (matches)
            await WriteEventAsync(context, change.Type, obj);
        else if (matchedBefore)
            await WriteEventAsync(context, "DELETED", obj);
    }

    static async Task WriteEventAsync(HttpContext context, string type, JsonObject obj)
    {
        var line = WireJson.Write(new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }) + "\n";
        await context.Response.WriteAsync(line, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    static Func<JsonObject, bool> Filter(IQueryCollection query)
    {
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = ParseFieldSelector(query["fieldSelector"]);
        return obj =>
        {
            var objectLabels = obj["metadata"]?["labels"] is JsonObject l
                ? l.ToDictionary(p => p.Key, p => (string?)p.Value ?? "")
                : new Dictionary<string, string>();
            return labels.Matches(objectLabels) && fields.All(f => f(obj));
        };
    }

    static List<Func<JsonObject, bool>> ParseFieldSelector(string? text)
    {
        var terms = new List<Func<JsonObject, bool>>();
        foreach (var term in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var negate = term.Contains("!=", StringComparison.Ordinal);
            var parts = term.Split(negate ? "!=" : term.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
            if (parts.Length != 2)
                throw ApiError.BadRequest($"invalid field selector: '{term}'");
            var path = parts[0].Split('.');
            var expected = parts[1];
            terms.Add(obj =>
            {
                var actual = path.Aggregate((JsonNode?)obj, (node, field) => node?[field])?.ToString() ?? "";
                return negate ? actual != expected : actual == expected;
            });
        }
        return terms;
    }

    async Task<JsonObject> PatchAsync(HttpRequest request, ResourceType type, string? ns, string name, bool statusOnly, bool strict, Admission admit)
    {
        var contentType = request.ContentType?.Split(';')[0].Trim();
        var force = (string?)request.Query["force"];
        if (contentType == "application/apply-patch+yaml")
        {
            var manager = (string?)request.Query["fieldManager"];
            if (string.IsNullOrEmpty(manager))
                throw InvalidOptions("PatchOptions", "fieldManager", "Required value: is required for apply patch");
            using var reader = new StreamReader(request.Body);
            var config = AppliedConfiguration.Parse(await reader.ReadToEndAsync());
            return Store.Apply(type, ns, name, config, manager, force == "true", statusOnly, strict, admit);
        }
        if (force is not null)
            throw InvalidOptions("PatchOptions", "force", "Forbidden: may not be specified for non-apply patch");
        var body = await ReadNodeAsync(request);
        Func<JsonObject, JsonObject> patch = contentType switch
        {
            "application/merge-patch+json" => current => Patches.Merge(current, body)!.AsObject(),
            "application/strategic-merge-patch+json" => current => Patches.Strategic(current, body)!.AsObject(),
            "application/json-patch+json" => current => Patches.Json(current, body.AsArray()).AsObject(),
            _ => throw new ApiError(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json"),
        };
        return Store.Patch(type, ns, name, patch, statusOnly, strict, Manager(request), admit);
    }

    /// <summary>The field manager of a write: the fieldManager parameter, else the client's User-Agent up to its first '/', as a real server derives it.</summary>
    static string Manager(HttpRequest request)
    {
        if ((string?)request.Query["fieldManager"] is { Length: > 0 } manager)
            return manager;
        var agent = request.Headers.UserAgent.ToString().Split('/')[0];
        var printable = new string(agent.Where(c => !char.IsControl(c)).ToArray());
        return printable.Length > 128 ? printable[..128] : printable;
    }

    static ApiError InvalidOptions(string kind, string field, string problem) =>
        new(422, "Invalid", $"{kind}.meta.k8s.io \"\" is invalid: {field}: {problem}")
        {
            Details = new JsonObject
            {
                ["group"] = "meta.k8s.io",
                ["kind"] = kind,
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = problem.StartsWith("Required", StringComparison.Ordinal) ? "FieldValueRequired" : "FieldValueForbidden", ["message"] = problem, ["field"] = field }),
            },
        };

    static async Task<JsonObject> ReadObjectAsync(HttpRequest request) =>
        await ReadNodeAsync(request) as JsonObject ?? throw ApiError.BadRequest("the request body must be a JSON object");

    static async Task<JsonObject?> ReadOptionalObjectAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync();
        return string.IsNullOrWhiteSpace(text) ? null : Parse(text) as JsonObject;
    }

    static async Task<JsonNode> ReadNodeAsync(HttpRequest request)
    {
        var contentType = request.ContentType ?? "";
        if (contentType.Contains("protobuf", StringComparison.Ordinal))
            throw new ApiError(415, "UnsupportedMediaType", "this server speaks JSON only; protobuf bodies are not accepted");
        using var reader = new StreamReader(request.Body);
        return Parse(await reader.ReadToEndAsync()) ?? throw ApiError.BadRequest("empty request body");
    }

    static JsonNode? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException error)
        {
            throw ApiError.BadRequest($"the request body is not valid JSON: {error.Message}");
        }
    }

    static async Task WriteJsonAsync(HttpContext context, int code, JsonObject body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(WireJson.Write(body), context.RequestAborted);
    }
}
