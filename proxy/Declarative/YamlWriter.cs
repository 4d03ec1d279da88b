using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Gateway.Proxy.Declarative;

/// <summary>
/// Writes JSON nodes as block-style YAML that reads back to the same values: strings that would otherwise read
/// as a number, boolean or null are quoted, multi-line strings (PEM certificates) use literal blocks.
/// </summary>
internal static class YamlWriter
{
    public static string Write(JsonNode root)
    {
        using var text = new StringWriter();
        var settings = new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false,
            maxSimpleKeyLength: 1024, skipAnchorName: false, indentSequences: false, newLine: "\n", useUtf16SurrogatePairs: false);
        var emitter = new Emitter(text, settings);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        WriteNode(emitter, root);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void WriteNode(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, obj.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    WriteString(emitter, key);
                    WriteNode(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, array.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in array) WriteNode(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case null:
                WritePlain(emitter, "null");
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                WriteString(emitter, value.GetValue<string>());
                break;
            default:
                // Numbers and booleans: their JSON text is also their YAML text.
                WritePlain(emitter, node.ToJsonString());
                break;
        }
    }

    private static void WriteString(IEmitter emitter, string text)
    {
        var style = YamlScalars.NeedsQuotes(text) ? ScalarStyle.DoubleQuoted
            : text.Contains('\n') ? ScalarStyle.Literal
            : ScalarStyle.Any;
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, style, true, true));
    }

    private static void WritePlain(IEmitter emitter, string text) =>
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Plain, true, false));
}
