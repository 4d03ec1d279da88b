using Gateway.Operator.Schema;

namespace Gateway.Operator.Entities;

/// <summary>
/// The status of a configuration resource (a plugin, a consumer): whether the gateways it belongs to serve it, in
/// the kstatus shape Argo CD and Flux read.
/// </summary>
public sealed class ProgrammedStatus
{
    [Description("The metadata.generation this status describes.")]
    public long? ObservedGeneration { get; set; }

    [Description("Programmed: True once the gateway serves this object as declared, False with a reason and a message naming the field otherwise.")]
    public List<Condition> Conditions { get; set; } = [];
}
