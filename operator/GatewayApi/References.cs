namespace Gateway.Operator.GatewayApi;

// References between objects, as the Gateway API spells them. Group and kind are optional where the spec defaults
// them (a parentRef to a Gateway, a backendRef to a Service); readers apply the defaults, since the upstream CRDs
// fill them in but objects built in code or older stored objects may lack them.

/// <summary>A route's reference to its parent (a Gateway, or one listener of it through sectionName and port).</summary>
public sealed class ParentReference
{
    public string? Group { get; set; }
    public string? Kind { get; set; }
    public string? Namespace { get; set; }
    public string Name { get; set; } = "";
    public string? SectionName { get; set; }
    public int? Port { get; set; }
}

/// <summary>A reference to a backend (a Service unless group and kind say otherwise), with the port to reach.</summary>
public class BackendObjectReference
{
    public string? Group { get; set; }
    public string? Kind { get; set; }
    public string Name { get; set; } = "";
    public string? Namespace { get; set; }
    public int? Port { get; set; }
}

/// <summary>A reference to a Secret holding a listener's certificate.</summary>
public sealed class SecretObjectReference
{
    public string? Group { get; set; }
    public string? Kind { get; set; }
    public string Name { get; set; } = "";
    public string? Namespace { get; set; }
}

/// <summary>A reference to an object of the route's own namespace (an ExtensionRef filter's plugin).</summary>
public sealed class LocalObjectReference
{
    public string Group { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
}

/// <summary>A group and kind of route a listener accepts.</summary>
public sealed class RouteGroupKind
{
    public string? Group { get; set; }
    public string Kind { get; set; } = "";
}

/// <summary>metav1.LabelSelector, in a shape the CRD generator reads.</summary>
public sealed class LabelSelector
{
    public Dictionary<string, string>? MatchLabels { get; set; }
    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }
}

public sealed class LabelSelectorRequirement
{
    public string Key { get; set; } = "";
    /// <summary>In, NotIn, Exists or DoesNotExist.</summary>
    public string Operator { get; set; } = "";
    public List<string>? Values { get; set; }
}
