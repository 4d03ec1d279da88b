using System.Globalization;
using System.Text.Json.Nodes;

namespace Gateway.Proxy.Admin.Http;

/// <summary>
/// Turns form fields into the JSON object Kong builds from them. Dotted keys nest
/// (<c>config.second=4</c> → <c>{"config":{"second":"4"}}</c>), <c>hosts[]=a</c>, <c>hosts[1]=a</c> and a repeated
/// <c>hosts=a&amp;hosts=b</c> make arrays, and an empty value means null (it clears the field). Values stay
/// strings: the schema decides later what they are (<see cref="Gateway.Proxy.Schema.StringCoercion"/>).
/// </summary>
public static class FormDecoder
{
    /// <summary>Deeper keys are refused: no schema nests this far, and unbounded nesting would exhaust the stack.</summary>
    public const int MaxDepth = 32;

    public static JsonObject Decode(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var root = new Node();
        foreach (var (key, value) in pairs)
        {
            if (key.Length == 0) continue;
            var path = SplitKey(key);
            if (path.Count > MaxDepth)
                throw AdminException.BadRequest($"Cannot parse form body: a key nests more than {MaxDepth} levels");
            Place(root, path, value);
        }
        return root.Children is null ? new JsonObject() : (JsonObject)ToJson(root)!;
    }

    /// <summary>Parses <c>application/x-www-form-urlencoded</c> text into ordered pairs.</summary>
    public static List<KeyValuePair<string, string>> ParseUrlEncoded(string text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in text.Split('&'))
        {
            if (part.Length == 0) continue;
            var equals = part.IndexOf('=');
            var key = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? "" : part[(equals + 1)..];
            pairs.Add(new(Unescape(key), Unescape(value)));
        }
        return pairs;
    }

    private static string Unescape(string text)
    {
        var spaced = text.Replace('+', ' ');
        try
        {
            return Uri.UnescapeDataString(spaced);
        }
        catch (UriFormatException)
        {
            return spaced;
        }
    }

    /// <summary>One step of a key path: a name, optionally followed by an array index ("" for <c>[]</c>).</summary>
    private readonly record struct Segment(string Name, string? Index);

    private static List<Segment> SplitKey(string key)
    {
        // A key that starts or ends with a dot is not a path, as in Kong.
        var parts = key.StartsWith('.') || key.EndsWith('.') ? [key] : key.Split('.');
        var segments = new List<Segment>(parts.Length);
        foreach (var part in parts)
        {
            if (part.EndsWith(']') && part.IndexOf('[') is var open and > 0)
            {
                var index = part[(open + 1)..^1];
                if (index.Length == 0 || int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    segments.Add(new Segment(part[..open], index));
                    continue;
                }
            }
            segments.Add(new Segment(part, null));
        }
        return segments;
    }

    private static void Place(Node root, List<Segment> path, string value)
    {
        var node = root;
        for (var i = 0; i < path.Count; i++)
        {
            var segment = path[i];
            node = node.Child(segment.Name);
            if (segment.Index is { } index)
            {
                if (index.Length == 0)
                {
                    node.IsArray = true;
                    if (i < path.Count - 1) node = node.AppendItem();
                }
                else
                {
                    node = node.Item(int.Parse(index, NumberStyles.None, CultureInfo.InvariantCulture));
                }
            }
        }
        node.Values.Add(value);
    }

    private static JsonNode? ToJson(Node node)
    {
        if (node.Children is not null)
        {
            var obj = new JsonObject();
            foreach (var (name, child) in node.Children) obj[name] = ToJson(child);
            return obj;
        }
        if (node.Items is not null || node.IsArray || node.Values.Count > 1)
        {
            var array = new JsonArray();
            if (node.Items is not null)
                foreach (var (_, item) in node.Items) AddElement(array, ToJson(item));
            foreach (var value in node.Values) AddElement(array, value.Length == 0 ? null : JsonValue.Create(value));
            return array;
        }
        var single = node.Values.Count == 0 ? "" : node.Values[0];
        return single.Length == 0 ? null : JsonValue.Create(single);
    }

    // An empty element ("hosts[]=") adds nothing, so that it can be used to send an empty array.
    private static void AddElement(JsonArray array, JsonNode? element)
    {
        if (element is not null) array.Add(element);
    }

    private sealed class Node
    {
        // In the order the form named them, and found by name in one step however many fields a form has.
        public OrderedDictionary<string, Node>? Children;
        public SortedDictionary<int, Node>? Items;
        public readonly List<string> Values = [];
        public bool IsArray;
        private int _appended;

        public Node Child(string name)
        {
            Children ??= new OrderedDictionary<string, Node>(StringComparer.Ordinal);
            if (!Children.TryGetValue(name, out var child)) Children.Add(name, child = new Node());
            return child;
        }

        public Node Item(int index)
        {
            Items ??= new SortedDictionary<int, Node>();
            if (!Items.TryGetValue(index, out var item)) Items[index] = item = new Node();
            return item;
        }

        // "routes[].name=a&routes[].name=b" has no index to group by: each use opens a new element.
        public Node AppendItem() => Item(int.MaxValue / 2 + _appended++);
    }
}
