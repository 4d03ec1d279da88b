using Gateway.Proxy.Schema;

namespace Gateway.Adversarial.Generation;

/// <summary>
/// JSON texts of values a field can never hold, by the field's type, and numbers at and past the edges of what
/// JSON parsers represent. Null is never among them: in Kong a null clears a field.
/// </summary>
public static class WrongValues
{
    /// <summary>Values of the wrong JSON type for <paramref name="field"/>, as JSON text.</summary>
    public static IReadOnlyList<string> For(FieldSpec field) => field.Kind switch
    {
        FieldKind.String => ["1", "true", "-1.5", "[\"a\"]", "{\"a\":\"b\"}", "[]", "{}"],
        FieldKind.Uuid => ["1", "true", "[]", "{}", "\"not-a-uuid\""],
        FieldKind.Integer => ["\"x\"", "true", "[1]", "{\"a\":1}", "1.5", "\"NaN\"", "\"\""],
        FieldKind.Number => ["\"x\"", "false", "[1]", "{\"a\":1}", "\"Infinity\""],
        FieldKind.Boolean => ["\"x\"", "1", "0", "[true]", "{\"a\":true}", "\"yes\""],
        FieldKind.Array => ["1", "true", "{\"a\":1}", "\"x\"", "[" + WrongElement(field.ElementKind) + "]"],
        FieldKind.Map => ["1", "\"x\"", "true", "[1]"],
        FieldKind.Record => ["1", "\"x\"", "true", "[1]"],
        FieldKind.Reference => ["1", "true", "[1]", "\"x\""],
        _ => ["1", "\"x\"", "true", "[1]"],
    };

    /// <summary>Integers no field can hold: past 64 bits, or past what a double can represent.</summary>
    public static readonly IReadOnlyList<string> ImpossibleIntegers =
    [
        "1e400", "-1e400", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "1" + new string('0', 400), "123456789012345678901234567890",
    ];

    /// <summary>Numbers that are legal JSON and may or may not suit a field: any answer but a 5xx will do.</summary>
    public static readonly IReadOnlyList<string> EdgeNumbers =
    [
        "-0", "0.0", "-0.0", "1E2", "1e-400", "2147483647", "2147483648", "-2147483649", "4294967296",
        "9007199254740993", "9223372036854775807", "-9223372036854775808", "65536", "99999999999", "-1",
    ];

    /// <summary>Number spellings JSON does not allow.</summary>
    public static readonly IReadOnlyList<string> NotJsonNumbers = ["NaN", "Infinity", "-Infinity", "+1", "01", ".5", "1.", "0x10", "1e"];

    private static string WrongElement(FieldKind element) => element switch
    {
        FieldKind.String or FieldKind.Uuid => "1",
        FieldKind.Record or FieldKind.Object => "1",
        _ => "\"x\"",
    };
}
