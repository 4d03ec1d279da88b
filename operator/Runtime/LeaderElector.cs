using Gateway.Operator.Kubernetes.Objects;

namespace Gateway.Operator.Runtime;

/// <summary>Leader election on a coordination.k8s.io/v1 Lease, so only one operator replica reconciles.</summary>
[EntityRbac(typeof(Lease), Verbs = RbacVerb.Get | RbacVerb.Create | RbacVerb.Update)]
public sealed class LeaderElector;
