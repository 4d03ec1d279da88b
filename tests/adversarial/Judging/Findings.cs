using System.Collections.Concurrent;
using System.Text;

namespace Gateway.Adversarial.Judging;

/// <summary>
/// Counts of what a run saw, by name (requests by class, violations by kind), with the first few examples of
/// each violation so that a failure names the seed and case to replay. Safe to use from several threads.
/// </summary>
public sealed class Findings
{
    private const int ExamplesPerKind = 5;

    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _examples = new();

    public void Count(string name) => _counts.AddOrUpdate(name, 1, (_, n) => n + 1);

    public int this[string name] => _counts.GetValueOrDefault(name);

    /// <summary>Counts one <paramref name="kind"/> and keeps <paramref name="example"/> if it is among the first.</summary>
    public void Record(string kind, string example)
    {
        Count(kind);
        var examples = _examples.GetOrAdd(kind, _ => new ConcurrentQueue<string>());
        if (examples.Count < ExamplesPerKind) examples.Enqueue(example);
    }

    /// <summary>"class=count" for each name, in the order given.</summary>
    public string CountsOf(IEnumerable<string> names) => string.Join(' ', names.Select(n => $"{n}={this[n]}"));

    /// <summary>The kept examples of every kind in <paramref name="kinds"/> that occurred, one per line.</summary>
    public string Examples(IEnumerable<string> kinds)
    {
        var text = new StringBuilder();
        foreach (var kind in kinds)
        {
            if (!_examples.TryGetValue(kind, out var examples)) continue;
            text.AppendLine($"{kind} ({this[kind]}):");
            foreach (var example in examples) text.AppendLine("  " + example);
        }
        return text.ToString();
    }
}
