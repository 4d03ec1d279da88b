using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Gateway.Operator.Schema;

/// <summary>
/// Checks an object against the schema attributes on its type ([Required], ranges, patterns, lengths),
/// returning one message per violation that names the field by its JSON path.
/// </summary>
public static class SchemaValidator
{
    public static List<string> Validate(object value, string path)
    {
        var errors = new List<string>();
        Walk(value, path, errors, depth: 0);
        return errors;
    }

    static void Walk(object value, string path, List<string> errors, int depth)
    {
        if (depth > 16)
            return;
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0 || property.GetCustomAttribute<JsonIgnoreAttribute>() is not null)
                continue;
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var fieldPath = $"{path}.{name}";
            var fieldValue = property.GetValue(value);
            Check(property, fieldValue, fieldPath, errors);
            if (fieldValue is null or string || fieldValue.GetType().IsPrimitive || fieldValue.GetType().IsEnum || fieldValue is IEnumerable)
                continue;
            if (fieldValue.GetType().Namespace?.StartsWith("Gateway.Operator.Entities", StringComparison.Ordinal) == true)
                Walk(fieldValue, fieldPath, errors, depth + 1);
        }
    }

    static void Check(PropertyInfo property, object? value, string path, List<string> errors)
    {
        if (property.GetCustomAttribute<RequiredAttribute>() is not null && (value is null || value is ""))
            errors.Add($"{path}: required");
        if (value is null)
            return;
        if (value is string text)
        {
            if (property.GetCustomAttribute<PatternAttribute>() is { } pattern && text.Length > 0 && !Regex.IsMatch(text, pattern.Regex))
                errors.Add($"{path}: '{text}' does not match {pattern.Regex}");
            if (property.GetCustomAttribute<MaxLengthAttribute>() is { } maxLength && text.Length > maxLength.Length)
                errors.Add($"{path}: longer than {maxLength.Length} characters");
        }
        if (value is int or long or double)
        {
            var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            if (property.GetCustomAttribute<RangeMinimumAttribute>() is { } minimum && number < minimum.Minimum)
                errors.Add($"{path}: must be at least {minimum.Minimum} (got {value})");
            if (property.GetCustomAttribute<RangeMaximumAttribute>() is { } maximum && number > maximum.Maximum)
                errors.Add($"{path}: must be at most {maximum.Maximum} (got {value})");
        }
    }
}
