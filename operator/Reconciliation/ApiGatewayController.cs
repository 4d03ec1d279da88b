using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes.Objects;
using Gateway.Operator.Runtime;

namespace Gateway.Operator.Reconciliation;

/// <summary>Keeps every child of an ApiGateway as its spec declares, and reports what it sees in the status.</summary>
[EntityRbac(typeof(ApiGateway), Verbs = RbacVerb.Read | RbacVerb.Update | RbacVerb.Patch)]
[EntityRbac(typeof(ApiGateway), Subresource = "status", Verbs = RbacVerb.Get | RbacVerb.Update | RbacVerb.Patch)]
[EntityRbac(typeof(ApiGateway), Subresource = "finalizers", Verbs = RbacVerb.Update)]
[EntityRbac(typeof(ServiceAccount), typeof(Service), typeof(Deployment), typeof(StatefulSet), typeof(PodDisruptionBudget),
    typeof(Role), typeof(RoleBinding), Verbs = RbacVerb.Manage)]
[EntityRbac(typeof(Job), Verbs = RbacVerb.Read | RbacVerb.Create | RbacVerb.Delete)]
[EntityRbac(typeof(Secret), Verbs = RbacVerb.Read | RbacVerb.Create)]
[EntityRbac(typeof(PersistentVolumeClaim), Verbs = RbacVerb.List | RbacVerb.Delete)]
public sealed class ApiGatewayController;
