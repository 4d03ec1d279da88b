using Gateway.Operator.Schema;

namespace Gateway.Operator.Entities;

/// <summary>
/// What makes an ApiGateway impossible to build: the schema rules (which a real API server enforces too)
/// plus the rules that span fields. Each message starts with the field it is about.
/// </summary>
public static partial class ApiGatewayValidation
{
    // Services (<name>-proxy, <name>-admin, …) need DNS-1035 labels: a letter first, no dots.
    [System.Text.RegularExpressions.GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial System.Text.RegularExpressions.Regex Dns1035Label();

    /// <summary>Job names must stay label values (63 characters): name + "-migrate-" + 10 hex digits.</summary>
    public const int MaxNameLength = 44;

    public static List<string> Validate(ApiGateway gateway)
    {
        var errors = new List<string>();
        if (gateway.Metadata.Name is { Length: > MaxNameLength } name)
            errors.Add($"metadata.name: at most {MaxNameLength} characters so that child names fit (got {name.Length})");
        else if (gateway.Metadata.Name is { } serviceName && !Dns1035Label().IsMatch(serviceName))
            errors.Add($"metadata.name: '{serviceName}' cannot name the gateway's Services: use lower-case letters, digits and '-', starting with a letter");
        var spec = gateway.Spec;
        errors.AddRange(SchemaValidator.Validate(spec, "spec"));

        if (spec.Database.Mode == DatabaseMode.External && spec.Database.External is null)
            errors.Add("spec.database.external: required when spec.database.mode is External (a Secret holding the Npgsql connection string)");
        if (spec.Redis.Mode == RedisMode.External && spec.Redis.External is null)
            errors.Add("spec.redis.external: required when spec.redis.mode is External (a Secret holding the Redis connection string)");
        var service = spec.Proxy.Service;
        if (service.Type == ServiceKind.ClusterIP && (service.NodePort is not null || service.TlsNodePort is not null))
            errors.Add("spec.proxy.service.nodePort: only NodePort and LoadBalancer services have node ports");
        if (spec.Proxy.Tls is null && service.TlsNodePort is not null)
            errors.Add("spec.proxy.service.tlsNodePort: set spec.proxy.tls to serve TLS");
        if (service.NodePort is not null && service.NodePort == service.TlsNodePort)
            errors.Add("spec.proxy.service.tlsNodePort: must differ from spec.proxy.service.nodePort");
        if (spec.Proxy.Tls is not null && service.Port == service.TlsPort)
            errors.Add("spec.proxy.service.tlsPort: must differ from spec.proxy.service.port");
        return errors;
    }
}
