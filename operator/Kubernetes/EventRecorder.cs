using Gateway.Operator.Kubernetes.Objects;
using Gateway.Operator.Runtime;

namespace Gateway.Operator.Kubernetes;

/// <summary>Writes core/v1 Events about an object, which <c>kubectl describe</c> shows.</summary>
[EntityRbac(typeof(Event), Verbs = RbacVerb.Create | RbacVerb.Patch)]
public sealed class EventRecorder;
