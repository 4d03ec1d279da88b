using System.Text;
using Gateway.Operator.Translation;

namespace Gateway.Operator.Tests.Translation;

/// <summary>Builds the objects translation tests start from.</summary>
internal static class Cluster
{
    public const string ClassName = "tollgate";

    public static V1IngressClass IngressClass(string name = ClassName, string controller = IngressClassSelection.Controller, bool isDefault = false) => new()
    {
        Metadata = new()
        {
            Name = name,
            Annotations = isDefault ? new Dictionary<string, string> { [IngressClassSelection.DefaultClassAnnotation] = "true" } : null,
        },
        Spec = new() { Controller = controller },
    };

    public static V1Ingress Ingress(string name, params V1HTTPIngressPath[] paths) =>
        Ingress(name, new V1IngressRule { Http = new() { Paths = paths } });

    public static V1Ingress Ingress(string name, params V1IngressRule[] rules) => new()
    {
        Metadata = new() { Name = name, NamespaceProperty = "default", Uid = "uid-" + name, Generation = 1 },
        Spec = new() { IngressClassName = ClassName, Rules = rules },
    };

    public static V1Ingress Annotated(this V1Ingress ingress, string key, string value)
    {
        ingress.Metadata.Annotations ??= new Dictionary<string, string>();
        ingress.Metadata.Annotations[key] = value;
        return ingress;
    }

    public static V1Service Annotated(this V1Service service, string key, string value)
    {
        service.Metadata.Annotations ??= new Dictionary<string, string>();
        service.Metadata.Annotations[key] = value;
        return service;
    }

    public static V1IngressRule Rule(string? host, params V1HTTPIngressPath[] paths) => new() { Host = host, Http = new() { Paths = paths } };

    public static V1HTTPIngressPath Path(string path, string service, int port = 80, string pathType = "Prefix") => new()
    {
        Path = path,
        PathType = pathType,
        Backend = Backend(service, port),
    };

    public static V1IngressBackend Backend(string service, int port) => new() { Service = new() { Name = service, Port = new() { Number = port } } };

    public static V1Service Service(string name, int port = 80, string? portName = null) => new()
    {
        Metadata = new() { Name = name, NamespaceProperty = "default", Uid = "uid-" + name },
        Spec = new() { Type = "ClusterIP", Ports = [new() { Name = portName, Port = port, TargetPort = port }] },
    };

    public static V1EndpointSlice Slice(string service, string name, int port, string? portName, params V1Endpoint[] endpoints) => new()
    {
        Metadata = new()
        {
            Name = name,
            NamespaceProperty = "default",
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service },
        },
        AddressType = "IPv4",
        Ports = [new() { Name = portName, Port = port, Protocol = "TCP" }],
        Endpoints = endpoints,
    };

    public static V1Endpoint Endpoint(string address, bool? ready = true, bool? terminating = null) => new()
    {
        Addresses = [address],
        Conditions = new() { Ready = ready, Terminating = terminating },
    };

    /// <summary>A kubernetes.io/tls Secret with a self-signed certificate for the common name <paramref name="host"/> and the subject alternative names.</summary>
    public static V1Secret TlsSecret(string name, string host, params string[] alternativeNames)
    {
        var (cert, key) = Kubernetes.TestCertificates.SelfSigned(host, alternativeNames);
        return Secret(name, "kubernetes.io/tls", cert, key);
    }

    public static V1Secret Secret(string name, string type, string cert, string key) => new()
    {
        Metadata = new() { Name = name, NamespaceProperty = "default", Uid = "uid-" + name },
        Type = type,
        Data = new Dictionary<string, byte[]> { ["tls.crt"] = Encoding.UTF8.GetBytes(cert), ["tls.key"] = Encoding.UTF8.GetBytes(key) },
    };

    public static TranslationInput Input(
        IEnumerable<V1Ingress> ingresses, IEnumerable<V1Service> services,
        IEnumerable<V1EndpointSlice>? slices = null, IEnumerable<V1Secret>? secrets = null, IEnumerable<V1IngressClass>? classes = null) => new()
    {
        GatewayNamespace = "gateways",
        GatewayName = "edge",
        IngressClassName = ClassName,
        IngressClasses = [.. classes ?? [IngressClass()]],
        Ingresses = [.. ingresses],
        Services = [.. services],
        EndpointSlices = [.. slices ?? []],
        Secrets = [.. secrets ?? []],
    };

    public static TranslationOutput Translate(TranslationInput input) => GatewayTranslation.Translate(input);

    public static SourceResult ResultFor(this TranslationOutput output, string kind, string name) =>
        output.Results.Single(r => r.Source.Kind == kind && r.Source.Name == name);

    public static KongRoute Route(this TranslationOutput output, string name) =>
        output.Configuration.Routes.Single(r => r.Name == name);

    public static KongService ServiceOf(this TranslationOutput output, KongRoute route) =>
        output.Configuration.Services.Single(s => s.Id == route.Service.Id);
}
