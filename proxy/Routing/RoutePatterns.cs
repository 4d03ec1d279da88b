using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Proxy.Routing;

/// <summary>
/// Regular expressions written in routes (paths and header values), compiled once per snapshot so that no pattern
/// can hold a request, or a core, for long:
/// <list type="bullet">
/// <item>a pattern that can backtrack without bound (a quantified group that itself repeats or alternates, or two
/// unbounded repetitions) runs on the non-backtracking engine, in time linear in the input;</item>
/// <item>any other pattern runs on the interpreter under a tight timeout, after which it simply fails to match.</item>
/// </list>
/// Not every pattern goes to the non-backtracking engine because it is costly to build: measured here, 2–4 ms and
/// about 0.5 MB per pattern, so a thousand regex routes would take seconds and hundreds of megabytes per configuration
/// change; the interpreter builds one in under 0.1 ms. Backreferences and lookarounds, which the non-backtracking
/// engine cannot run, stay on the interpreter and its timeout.
/// </summary>
public static class RoutePatterns
{
    /// <summary>How long one match may run on the backtracking interpreter.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// A route path "~/users/(?&lt;id&gt;\d+)" becomes the pattern "^/users/(?&lt;id&gt;\d+)": anchored at the start
    /// only, exactly as Kong prefixes "^" to the text after the '~'.
    /// </summary>
    public static Regex ForPath(string routePath) => Create("^" + routePath[1..], RegexOptions.CultureInvariant);

    /// <summary>A header value pattern ("~*…"): case-insensitive.</summary>
    public static Regex ForHeaderValue(string pattern) => Create(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static Regex Create(string pattern, RegexOptions options)
    {
        if (CanBacktrackBadly(pattern))
        {
            try
            {
                return new Regex(pattern, options | RegexOptions.NonBacktracking, MatchTimeout);
            }
            catch (NotSupportedException)
            {
                // Backreferences, lookarounds, atomic groups: only the backtracking engine runs them.
            }
        }
        return new Regex(pattern, options, MatchTimeout);
    }

    public static bool IsRegexPath(string routePath) => routePath.StartsWith('~');

    /// <summary>
    /// True when a pattern has a repeated group whose body repeats or alternates (the classic exponential shapes such
    /// as <c>(a+)+</c> and <c>(a|aa)*</c>), or two unbounded repetitions of something that can match a '/' (polynomial
    /// shapes such as <c>.*a.*b</c>). Repetitions that stay within a segment (<c>\d+</c>, <c>[^/]+</c>, <c>[a-z]*</c>), as
    /// in <c>/users/\d+/orders/\d+</c>, cannot make each other backtrack across the path; within one segment the timeout
    /// bounds them. A rough reading of the pattern's text that errs on the side of the non-backtracking engine.
    /// </summary>
    public static bool CanBacktrackBadly(string pattern)
    {
        var crossingSegments = 0;
        var groups = new Stack<bool>(); // for each open group: whether its body so far repeats or alternates
        var afterRepeatingGroup = false; // the previous token is a group whose body repeats or alternates
        var atomCrossesSegments = false; // the previous token can match a '/'
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            var closedRepeatingGroup = false;
            var crosses = false;
            if (c == '\\')
            {
                crosses = i + 1 < pattern.Length && pattern[i + 1] is 'S' or 'W' or 'D' or 'p' or 'P' or '/';
                i++;
            }
            else if (c == '[')
            {
                var end = EndOfClass(pattern, i);
                crosses = ClassCanMatchSlash(pattern.AsSpan(i, Math.Min(end, pattern.Length - 1) - i + 1));
                i = end;
            }
            else if (c == '(')
            {
                groups.Push(false);
                if (i + 1 < pattern.Length && pattern[i + 1] == '?') i++; // "(?:", "(?<name>", "(?=": not a quantifier
            }
            else if (c == ')')
            {
                closedRepeatingGroup = groups.Count > 0 && groups.Pop();
                if (closedRepeatingGroup) MarkRepeating(groups);
                crosses = true;
            }
            else if (c == '|')
            {
                MarkRepeating(groups);
            }
            else if (Quantifier(pattern, i, out var end) is var kind && kind != Repetition.None)
            {
                if (kind != Repetition.Optional && afterRepeatingGroup) return true;
                if (kind == Repetition.Unbounded && atomCrossesSegments && ++crossingSegments >= 2) return true;
                MarkRepeating(groups);
                i = end;
                continue;
            }
            else
            {
                crosses = c is '.' or '/';
            }
            afterRepeatingGroup = closedRepeatingGroup;
            atomCrossesSegments = crosses;
        }
        return false;
    }

    /// <summary>Whether a character class ("[^/]", "[a-z]", "[!-~]", "[^a]") can match a '/'.</summary>
    private static bool ClassCanMatchSlash(ReadOnlySpan<char> @class)
    {
        var negated = @class.Length > 1 && @class[1] == '^';
        var body = @class[(negated ? 2 : 1)..^1];
        var listed = false;
        for (var i = 0; i < body.Length; i++)
        {
            var low = body[i];
            if (low == '\\' && i + 1 < body.Length)
            {
                low = body[++i];
                // \W, \S, \D and Unicode categories take in '/'; \w, \s, \d do not; other escapes are the character.
                if (low is 'W' or 'S' or 'D' or 'p' or 'P') listed = true;
                if (char.IsAsciiLetter(low)) continue;
            }
            var high = low;
            if (i + 2 < body.Length && body[i + 1] == '-')
            {
                high = body[i + 2] == '\\' && i + 3 < body.Length ? body[i + 3] : body[i + 2];
                i += body[i + 2] == '\\' ? 3 : 2;
            }
            if (low <= '/' && '/' <= high) listed = true;
        }
        return negated ? !listed : listed;
    }

    private enum Repetition { None, Optional, Bounded, Unbounded }

    /// <summary>The repetition written at <paramref name="at"/> ("*", "+", "?", "{n}", "{n,}", "{n,m}", each maybe lazy).</summary>
    private static Repetition Quantifier(string pattern, int at, out int end)
    {
        end = at;
        var kind = pattern[at] switch
        {
            '*' or '+' => Repetition.Unbounded,
            '?' => Repetition.Optional,
            '{' => Braces(pattern, at, out end),
            _ => Repetition.None,
        };
        if (kind != Repetition.None && end + 1 < pattern.Length && pattern[end + 1] == '?') end++;
        return kind;
    }

    private static Repetition Braces(string pattern, int open, out int end)
    {
        end = pattern.IndexOf('}', open);
        if (end < 0) return Repetition.None;
        var inside = pattern.AsSpan(open + 1, end - open - 1);
        var comma = inside.IndexOf(',');
        var low = comma < 0 ? inside : inside[..comma];
        var high = comma < 0 ? "0" : inside[(comma + 1)..];
        if (low.IsEmpty || low.ContainsAnyExceptInRange('0', '9') || high.ContainsAnyExceptInRange('0', '9')) return Repetition.None;
        return comma >= 0 && high.IsEmpty ? Repetition.Unbounded : Repetition.Bounded;
    }

    private static void MarkRepeating(Stack<bool> groups)
    {
        if (groups.Count == 0) return;
        groups.Pop();
        groups.Push(true);
    }

    private static int EndOfClass(ReadOnlySpan<char> pattern, int open)
    {
        for (var i = open + 1; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\') i++;
            else if (pattern[i] == ']' && i > open + 1) return i;
        }
        return pattern.Length;
    }

    /// <summary>
    /// The text every path matching a route path regex starts with ("~/users/(?&lt;id&gt;\d+)" → "/users/"): what the
    /// routing table uses to try only the regexes that can match a path. Empty when the pattern gives no such text
    /// (it starts with a group or class, or alternates at its top level).
    /// </summary>
    public static string LiteralPrefix(string routePath)
    {
        var pattern = routePath.AsSpan(1);
        if (HasTopLevelAlternation(pattern)) return "";
        var literal = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c is '*' or '+' or '?' or '{')
            {
                // The repetition applies to the last character taken, which may then be absent or repeated.
                if (literal.Length > 0) literal.Length--;
                break;
            }
            if (c is '.' or '[' or '(' or ')' or '|' or '^' or '$') break;
            if (c == '\\')
            {
                if (i + 1 >= pattern.Length || char.IsAsciiLetterOrDigit(pattern[i + 1])) break;
                c = pattern[++i];
            }
            literal.Append(c);
        }
        return literal.ToString();
    }

    private static bool HasTopLevelAlternation(ReadOnlySpan<char> pattern)
    {
        var depth = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\': i++; break;
                case '[': i = EndOfClass(pattern, i); break;
                case '(': depth++; break;
                case ')': depth--; break;
                case '|' when depth == 0: return true;
            }
        }
        return false;
    }

    public static bool IsMatch(Regex pattern, string input)
    {
        try
        {
            return pattern.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    public static Match? Match(Regex pattern, string input)
    {
        try
        {
            var match = pattern.Match(input);
            return match.Success ? match : null;
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }
}
