using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gateway.Proxy.Declarative;

/// <summary>
/// Reads the text of a declarative file into JSON nodes. JSON is recognised by its content (a document that
/// starts with '{' or '['); anything else is YAML, whose scalars keep their YAML types.
/// </summary>
internal static class DocumentReader
{
    public static (JsonNode? Document, DeclarativeError? Error) Read(string text)
    {
        var body = text.TrimStart('\uFEFF');
        var first = FirstSignificantChar(body);
        return first is '{' or '[' ? ReadJson(body) : ReadYaml(body);
    }

    private static char? FirstSignificantChar(string text)
    {
        foreach (var c in text)
            if (!char.IsWhiteSpace(c)) return c;
        return null;
    }

    private static (JsonNode?, DeclarativeError?) ReadJson(string text)
    {
        try
        {
            var options = new JsonDocumentOptions { AllowDuplicateProperties = false };
            return (JsonNode.Parse(text, documentOptions: options), null);
        }
        catch (JsonException e)
        {
            var message = e.Message;
            var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
            if (cut < 0) cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
            if (cut > 0) message = message[..cut];
            if (e.LineNumber is { } line)
            {
                var column = (int)(e.BytePositionInLine ?? 0) + 1;
                return (null, new DeclarativeError("", $"malformed JSON at line {line + 1}, column {column}: {message}")
                    { Line = (int)line + 1, Column = column });
            }
            return (null, new DeclarativeError("", "malformed JSON: " + message));
        }
    }

    private static (JsonNode?, DeclarativeError?) ReadYaml(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new MergingParser(new DepthLimitedParser(new Parser(new StringReader(text)))));
        }
        catch (YamlException e)
        {
            var message = e.InnerException is YamlException inner ? inner.Message : e.Message;
            return (null, YamlError(e.Start, message));
        }
        catch (InvalidOperationException)
        {
            // The scanner gives up on some broken flow collections without a position; find where it stopped.
            return (null, YamlError(LastReadablePosition(text), "unexpected end of a flow collection or an invalid scalar"));
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            return (null, YamlError(second, "expected a single YAML document, found another one"));
        }
        if (stream.Documents.Count == 0) return (new JsonObject(), null);
        var converter = new YamlToJson();
        var document = converter.Convert(stream.Documents[0].RootNode);
        return converter.Error is { } error ? (null, error) : (document, null);
    }

    internal static DeclarativeError YamlError(Mark at, string message) =>
        new("", $"malformed YAML at line {at.Line}, column {at.Column}: {message}") { Line = (int)at.Line, Column = (int)at.Column };

    private static Mark LastReadablePosition(string text)
    {
        var scanner = new Scanner(new StringReader(text));
        var last = Mark.Empty;
        try
        {
            while (scanner.MoveNext()) last = scanner.Current!.End;
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            // Stops at the first token it cannot read: the position reached so far is the answer.
        }
        return last;
    }
}
