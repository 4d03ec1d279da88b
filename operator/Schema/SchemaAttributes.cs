namespace Gateway.Operator.Schema;

// Attributes that describe a custom resource's schema on its C# types. The manifest generator turns
// them into the CRD's OpenAPI schema, and the reconciler checks specs against the same rules, so what
// the API server would reject and what the operator reports as Stalled never disagree.

/// <summary>Human text for the field (shown by <c>kubectl explain</c>).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property)]
public sealed class DescriptionAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}

/// <summary>The field must be present.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute;

[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeMinimumAttribute(double minimum) : Attribute
{
    public double Minimum { get; } = minimum;
}

[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeMaximumAttribute(double maximum) : Attribute
{
    public double Maximum { get; } = maximum;
}

/// <summary>A regular expression (ECMA-262 subset, as the API server reads it) a string must match.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string regex) : Attribute
{
    public string Regex { get; } = regex;
}

[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxLengthAttribute(int length) : Attribute
{
    public int Length { get; } = length;
}

/// <summary>The property's value appears as a column in <c>kubectl get</c>; the JSON path follows from where it sits.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AdditionalPrinterColumnAttribute(string? name = null, string type = "string") : Attribute
{
    public string? Name { get; } = name;
    public string Type { get; } = type;
    public int Priority { get; init; }
}

/// <summary>A <c>kubectl get</c> column at any JSON path (conditions, metadata), declared on the entity.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class GenericAdditionalPrinterColumnAttribute(string jsonPath, string name, string type) : Attribute
{
    public string JsonPath { get; } = jsonPath;
    public string Name { get; } = name;
    public string Type { get; } = type;
    public string? Description { get; init; }
    public int Priority { get; init; }
}

/// <summary>Short names kubectl accepts for the kind (<c>kubectl get agw</c>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class KubernetesShortNamesAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}

/// <summary>Kinds whose objects keep their status in a separate /status subresource.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class StatusSubresourceAttribute : Attribute;
