using System.Text.Json.Nodes;

namespace Gateway.Operator.Kubernetes.Objects;

/// <summary>apiextensions.k8s.io/v1 CustomResourceDefinition, as the manifest generator writes it.</summary>
[KubernetesEntity(Group = "apiextensions.k8s.io", ApiVersion = "v1", Kind = "CustomResourceDefinition",
    PluralName = "customresourcedefinitions", Namespaced = false)]
public sealed class CustomResourceDefinition : KubernetesObject
{
    public CustomResourceDefinitionSpec Spec { get; set; } = new();
}

public sealed class CustomResourceDefinitionSpec
{
    public string Group { get; set; } = "";
    public CustomResourceDefinitionNames Names { get; set; } = new();
    public string Scope { get; set; } = "Namespaced";
    public List<CustomResourceDefinitionVersion> Versions { get; set; } = [];
}

public sealed class CustomResourceDefinitionNames
{
    public string Kind { get; set; } = "";
    public string ListKind { get; set; } = "";
    public string Plural { get; set; } = "";
    public string Singular { get; set; } = "";
    public List<string>? ShortNames { get; set; }
    public List<string>? Categories { get; set; }
}

public sealed class CustomResourceDefinitionVersion
{
    public string Name { get; set; } = "";
    public bool Served { get; set; } = true;
    public bool Storage { get; set; } = true;
    public CustomResourceValidation Schema { get; set; } = new();
    public CustomResourceSubresources? Subresources { get; set; }
    public List<CustomResourceColumnDefinition>? AdditionalPrinterColumns { get; set; }
}

public sealed class CustomResourceValidation
{
    public JsonObject OpenAPIV3Schema { get; set; } = new();
}

public sealed class CustomResourceSubresources
{
    /// <summary>Present (as an empty object) when the kind has a /status subresource.</summary>
    public JsonObject? Status { get; set; }
}

public sealed class CustomResourceColumnDefinition
{
    public string Name { get; set; } = "";
    public string Type { get; set; } = "string";
    public string? Description { get; set; }
    public int? Priority { get; set; }
    public string JsonPath { get; set; } = "";
}
