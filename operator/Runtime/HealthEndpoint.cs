namespace Gateway.Operator.Runtime;

/// <summary>/healthz and /readyz for the kubelet's probes.</summary>
public sealed class HealthEndpoint
{
    public const int Port = 8081;
}
