using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer.FieldManagement;

/// <summary>
/// A set of field paths, kept as the tree that <c>fieldsV1</c> spells out: each node is a path element
/// ("f:name" a field, "k:{...}" a list item by its keys, "v:..." a set item by its value, "i:0" an index) and
/// may itself be a member of the set ("." in fieldsV1) as well as the parent of longer paths.
/// </summary>
public sealed class FieldSet
{
    readonly SortedDictionary<string, FieldSet> children = new(ElementOrder.Instance);

    public bool IsMember { get; private set; }

    public bool IsEmpty => !IsMember && children.Count == 0;

    public IReadOnlyDictionary<string, FieldSet> Children => children;

    public FieldSet? Child(string element) => children.GetValueOrDefault(element);

    /// <summary>Adds the path made of <paramref name="elements"/> as a member.</summary>
    public void Insert(IEnumerable<string> elements)
    {
        var node = this;
        foreach (var element in elements)
        {
            if (!node.children.TryGetValue(element, out var next))
                node.children[element] = next = new FieldSet();
            node = next;
        }
        node.IsMember = true;
    }

    /// <summary>The subtree under <paramref name="element"/>, created when missing.</summary>
    public FieldSet Descend(string element)
    {
        if (!children.TryGetValue(element, out var next))
            children[element] = next = new FieldSet();
        return next;
    }

    public FieldSet Clone() => Combine(this, new FieldSet(), (a, _) => a);

    public FieldSet Union(FieldSet other) => Combine(this, other, (a, b) => a || b);

    public FieldSet Intersection(FieldSet other) => Combine(this, other, (a, b) => a && b);

    public FieldSet Difference(FieldSet other) => Combine(this, other, (a, b) => a && !b);

    /// <summary>This set without <paramref name="other"/>'s members and everything below them.</summary>
    public FieldSet RecursiveDifference(FieldSet other)
    {
        if (other.IsMember)
            return new FieldSet();
        var result = new FieldSet { IsMember = IsMember };
        foreach (var (element, child) in children)
        {
            var pruned = other.Child(element) is { } otherChild ? child.RecursiveDifference(otherChild) : child.Clone();
            if (!pruned.IsEmpty)
                result.children[element] = pruned;
        }
        return result;
    }

    /// <summary>Only the subtree under <paramref name="element"/>.</summary>
    public FieldSet Only(string element)
    {
        var result = new FieldSet();
        if (Child(element) is { } child)
            result.children[element] = child.Clone();
        return result;
    }

    static FieldSet Combine(FieldSet? a, FieldSet? b, Func<bool, bool, bool> member)
    {
        var result = new FieldSet { IsMember = member(a?.IsMember ?? false, b?.IsMember ?? false) };
        var elements = (a?.children.Keys ?? Enumerable.Empty<string>()).Union(b?.children.Keys ?? Enumerable.Empty<string>());
        foreach (var element in elements)
        {
            var child = Combine(a?.Child(element), b?.Child(element), member);
            if (!child.IsEmpty)
                result.children[element] = child;
        }
        return result;
    }

    /// <summary>Every member path, in order.</summary>
    public IEnumerable<IReadOnlyList<string>> Members()
    {
        var path = new List<string>();
        return Walk(this, path);

        static IEnumerable<IReadOnlyList<string>> Walk(FieldSet node, List<string> path)
        {
            if (node.IsMember)
                yield return path.ToArray();
            foreach (var (element, child) in node.children)
            {
                path.Add(element);
                foreach (var member in Walk(child, path))
                    yield return member;
                path.RemoveAt(path.Count - 1);
            }
        }
    }

    /// <summary>The fieldsV1 form: {"f:spec":{"f:replicas":{}}}; "." marks a member that also has children.</summary>
    public JsonObject ToFieldsV1()
    {
        var result = new JsonObject();
        foreach (var (element, child) in children)
        {
            var encoded = child.ToFieldsV1();
            if (child.IsMember && child.children.Count > 0)
                encoded.Insert(0, ".", new JsonObject());
            result[element] = encoded;
        }
        return result;
    }

    public static FieldSet FromFieldsV1(JsonObject fields)
    {
        var set = new FieldSet();
        foreach (var (element, value) in fields)
        {
            if (element == ".")
            {
                set.IsMember = true;
                continue;
            }
            if (element.Length < 2 || element[1] != ':' || element[0] is not ('f' or 'k' or 'v' or 'i'))
                throw new FormatException($"unknown path element {element}");
            var child = FromFieldsV1(value as JsonObject ?? []);
            // A leaf ({}) is a member; a node with children is one only when it says so with ".".
            if (child.children.Count == 0)
                child.IsMember = true;
            set.children[element] = child;
        }
        return set;
    }

    /// <summary>A path as the API server prints it in conflicts: .spec.containers[name="web"].image.</summary>
    public static string Describe(IEnumerable<string> elements)
    {
        var text = new StringBuilder();
        foreach (var element in elements)
        {
            var body = element[2..];
            switch (element[0])
            {
                case 'f':
                    text.Append('.').Append(body);
                    break;
                case 'k':
                    var keys = JsonNode.Parse(body)!.AsObject().Select(pair => $"{pair.Key}={Value(pair.Value)}");
                    text.Append('[').Append(string.Join(',', keys)).Append(']');
                    break;
                case 'v':
                    text.Append("[=").Append(Value(JsonNode.Parse(body))).Append(']');
                    break;
                default:
                    text.Append('[').Append(body).Append(']');
                    break;
            }
        }
        return text.ToString();
    }

    // Strings are quoted, everything else is written as JSON.
    static string Value(JsonNode? value) =>
        value?.GetValueKind() == JsonValueKind.String ? $"\"{value.GetValue<string>()}\"" : value?.ToJsonString() ?? "null";

    /// <summary>Fields before keys before values before indexes, as structured-merge-diff sorts path elements.</summary>
    sealed class ElementOrder : IComparer<string>
    {
        public static readonly ElementOrder Instance = new();

        static int Rank(char kind) => kind switch { 'f' => 0, 'k' => 1, 'v' => 2, _ => 3 };

        public int Compare(string? x, string? y)
        {
            var byKind = Rank(x![0]).CompareTo(Rank(y![0]));
            if (byKind != 0)
                return byKind;
            if (x[0] == 'i' && int.TryParse(x.AsSpan(2), out var left) && int.TryParse(y.AsSpan(2), out var right))
                return left.CompareTo(right);
            return string.CompareOrdinal(x, y);
        }
    }
}
