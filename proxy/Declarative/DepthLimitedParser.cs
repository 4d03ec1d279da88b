using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Gateway.Proxy.Declarative;

/// <summary>
/// Stops reading a YAML document that nests deeper than JSON documents may (64 levels, System.Text.Json's limit):
/// no configuration nests that far, and reading one thousands of levels deep costs seconds and a deep stack.
/// </summary>
internal sealed class DepthLimitedParser(IParser inner) : IParser
{
    public const int MaxDepth = 64;

    private int _depth;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext()) return false;
        switch (inner.Current)
        {
            case MappingStart or SequenceStart when ++_depth > MaxDepth:
                throw new YamlException(inner.Current.Start, inner.Current.End, $"the document nests deeper than {MaxDepth} levels");
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
        }
        return true;
    }
}
