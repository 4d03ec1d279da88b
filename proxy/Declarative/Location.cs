using System.Globalization;
using System.Text;

namespace Gateway.Proxy.Declarative;

/// <summary>Where something sits in a declarative document: <c>services[0].routes[1].paths</c>.</summary>
public sealed class Location
{
    public static readonly Location Root = new(null, null, -1);

    private Location(Location? parent, string? key, int index)
    {
        Parent = parent;
        Key = key;
        Index = index;
    }

    public Location? Parent { get; }

    /// <summary>The object key of this step, or null when the step is an array index.</summary>
    public string? Key { get; }

    public int Index { get; }

    public bool IsRoot => Parent is null;

    public Location Child(string key) => new(this, key, -1);

    public Location Item(int index) => new(this, null, index);

    /// <summary>The steps from the document root down to here.</summary>
    public IReadOnlyList<Location> Steps()
    {
        var steps = new List<Location>();
        for (var step = this; !step.IsRoot; step = step.Parent!) steps.Add(step);
        steps.Reverse();
        return steps;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var step in Steps())
        {
            if (step.Key is null) text.Append('[').Append(step.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            else
            {
                if (text.Length > 0) text.Append('.');
                text.Append(step.Key);
            }
        }
        return text.ToString();
    }
}
