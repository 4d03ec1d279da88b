using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Proxy.Schema;

/// <summary>
/// A validation rule on one field. On an array field it applies to each element.
/// Returns null when the value is acceptable, or the message to report.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true)]
public abstract class FieldRuleAttribute : Attribute
{
    public abstract string? Check(object value);

    /// <summary>A short description for generated documentation.</summary>
    public abstract string Describe();
}

/// <summary>The field must be present (and not null) once defaults are applied.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute;

/// <summary>No two entities of the kind may share this value.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class UniqueAttribute : Attribute;

/// <summary>Set by the store, never by clients (ids are accepted, timestamps are not).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AutoAttribute : Attribute;

/// <summary>How a secret field is kept: an API key is looked up by its hash, a password is checked against a salted one.</summary>
public enum SecretKind { LookupKey, Password }

/// <summary>The value is stored hashed (never in clear); see <see cref="SecretKind"/>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecretAttribute(SecretKind kind) : Attribute
{
    public SecretKind Kind { get; } = kind;
}

/// <summary>A new entity created through the Admin API without this field gets a random token for it (Kong's auto keys).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class GeneratedAttribute : Attribute;

/// <summary>Human description used by the schema endpoints and the OpenAPI document.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class)]
public sealed class DescriptionAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}

/// <summary>
/// The foreign entity kind a reference field points at: an <see cref="EntityRef"/> field, or an array of ids (a
/// service's ca_certificates) whose every element must name an entity of that kind.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ReferencesAttribute(string kind) : Attribute
{
    public string Kind { get; } = kind;

    /// <summary>Whether deleting the referenced entity deletes this one (otherwise the delete is refused).</summary>
    public bool Cascade { get; init; }

    /// <summary>
    /// Whether an export writes this entity under the one it references (routes under their service); false for a
    /// reference to something shared, such as a service's client certificate, which is named by id instead.
    /// </summary>
    public bool Nests { get; init; } = true;
}

public sealed class OneOfAttribute(params object[] values) : FieldRuleAttribute
{
    public IReadOnlyList<object> Values { get; } = values;

    public override string? Check(object value)
    {
        foreach (var v in Values)
            if (Equals(Convert.ChangeType(v, value.GetType(), CultureInfo.InvariantCulture), value)) return null;
        return Describe();
    }

    public override string Describe() =>
        "expected one of: " + string.Join(", ", Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));
}

public sealed class BetweenAttribute(long min, long max) : FieldRuleAttribute
{
    public long Min { get; } = min;
    public long Max { get; } = max;

    public override string? Check(object value)
    {
        var n = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        return n < Min || n > Max ? Describe() : null;
    }

    public override string Describe() => $"value should be between {Min} and {Max}";
}

public sealed class LengthAttribute(int min, int max) : FieldRuleAttribute
{
    public int Min => min;
    public int Max => max;

    public override string? Check(object value)
    {
        var length = ((string)value).Length;
        if (length < min) return $"length must be at least {min}";
        return length > max ? $"length must be at most {max}" : null;
    }

    public override string Describe() => $"length between {min} and {max}";
}

/// <summary>A regular-expression rule with a readable message.</summary>
public sealed class MatchesAttribute(string pattern, string message) : FieldRuleAttribute
{
    private readonly Regex _regex = new(pattern, RegexOptions.CultureInvariant);

    public string Pattern { get; } = pattern;

    public override string? Check(object value) => _regex.IsMatch((string)value) ? null : message;

    public override string Describe() => message;
}

/// <summary>A rule implemented by a named static method: <c>static string? Method(string value)</c>.</summary>
public sealed class CheckedByAttribute(Type type, string method) : FieldRuleAttribute
{
    private readonly Func<string, string?> _check =
        type.GetMethod(method)!.CreateDelegate<Func<string, string?>>();

    public override string? Check(object value) => _check((string)value);

    public override string Describe() => method;
}
