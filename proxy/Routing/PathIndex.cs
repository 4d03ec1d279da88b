using System.Runtime.CompilerServices;

namespace Gateway.Proxy.Routing;

/// <summary>
/// Which routes of a long candidate list can match a path. Every route is filed under the text that each path it
/// matches starts with: a prefix path under itself, a regex path under its literal start ("~/users/\d+" under
/// "/users/"), a route without paths under "". A path then needs one lookup per distinct filed length, and only the
/// routes filed under its own beginnings are tried, so an unmatched request no longer costs a scan of every route
/// (or every regex) of a large configuration.
/// </summary>
public sealed class PathIndex
{
    /// <summary>Below this many candidates a plain scan is as fast as the index.</summary>
    public const int MinimumCandidates = 32;

    /// <summary>How many filed beginnings of one path are merged; more fall back to the plain scan.</summary>
    public const int MaximumLists = 16;

    private readonly Dictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _positions;
    private readonly int[] _lengths;

    private PathIndex(Dictionary<string, int[]> positions)
    {
        _positions = positions.GetAlternateLookup<ReadOnlySpan<char>>();
        _lengths = positions.Keys.Select(k => k.Length).Distinct().Order().ToArray();
    }

    /// <summary>An index over routes in priority order; null when the list is short enough to scan.</summary>
    public static PathIndex? For(IReadOnlyList<CompiledRoute> routes)
    {
        if (routes.Count < MinimumCandidates) return null;
        var filed = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var position = 0; position < routes.Count; position++)
        {
            foreach (var prefix in routes[position].PathBeginnings)
            {
                if (!filed.TryGetValue(prefix, out var positions)) filed[prefix] = positions = [];
                if (positions.Count == 0 || positions[^1] != position) positions.Add(position);
            }
        }
        return new PathIndex(filed.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
    }

    /// <summary>
    /// The position lists filed under beginnings of <paramref name="path"/>, each in priority order; -1 when there are
    /// more than <see cref="MaximumLists"/>.
    /// </summary>
    public int Collect(string path, ref PositionLists lists)
    {
        var count = 0;
        foreach (var length in _lengths)
        {
            if (length > path.Length) break;
            if (!_positions.TryGetValue(path.AsSpan(0, length), out var positions)) continue;
            if (count == MaximumLists) return -1;
            lists[count++] = positions;
        }
        return count;
    }

    [InlineArray(MaximumLists)]
    public struct PositionLists
    {
        private int[] _first;
    }
}
