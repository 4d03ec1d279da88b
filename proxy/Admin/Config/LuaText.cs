using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Proxy.Admin.Config;

/// <summary>
/// Writes JSON the way Kong's messages print Lua tables: <c>{services={{name="expected a string"}}}</c>.
/// Keys are sorted; array holes are skipped and the next element is written with its 1-based index.
/// </summary>
public static class LuaText
{
    public static string Write(JsonNode? node)
    {
        var text = new StringBuilder();
        Append(text, node);
        return text.ToString();
    }

    private static void Append(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first) text.Append(',');
                    first = false;
                    text.Append(IsIdentifier(key) ? key : "[\"" + key + "\"]").Append('=');
                    Append(text, value);
                }
                text.Append('}');
                break;
            case JsonArray array:
                text.Append('{');
                var written = 0;
                var contiguous = true;
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is null)
                    {
                        contiguous = false;
                        continue;
                    }
                    if (written++ > 0) text.Append(',');
                    if (!contiguous) text.Append('[').Append(i + 1).Append("]=");
                    Append(text, array[i]);
                }
                text.Append('}');
                break;
            case JsonValue value when value.TryGetValue<string>(out var s):
                text.Append('"').Append(s.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
                break;
            default:
                text.Append(node.ToJsonString());
                break;
        }
    }

    private static bool IsIdentifier(string key) =>
        key.Length > 0 && !char.IsAsciiDigit(key[0]) && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
