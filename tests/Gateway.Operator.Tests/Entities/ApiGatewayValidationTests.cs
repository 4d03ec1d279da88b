using Gateway.Operator.Entities;
using Gateway.Operator.Tests.Builders;

namespace Gateway.Operator.Tests.Entities;

/// <summary>Each rule names the field a user has to fix.</summary>
public class ApiGatewayValidationTests
{
    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(ApiGatewayValidation.Validate(Gateways.New()));

    [Theory]
    [InlineData("replicas", "spec.proxy.replicas: must be at most 100 (got 101)")]
    [InlineData("image", "spec.proxy.image: 'Not An Image' does not match")]
    [InlineData("storage", "spec.database.managed.storageSize: 'lots' does not match")]
    [InlineData("external", "spec.database.external: required when spec.database.mode is External")]
    [InlineData("nodeport", "spec.proxy.service.nodePort: only NodePort and LoadBalancer services have node ports")]
    [InlineData("secret", "spec.adminTokenSecretRef.name: required")]
    public void A_broken_field_is_named(string broken, string message)
    {
        var gateway = Gateways.New(configure: spec =>
        {
            switch (broken)
            {
                case "replicas": spec.Proxy.Replicas = 101; break;
                case "image": spec.Proxy.Image = "Not An Image"; break;
                case "storage": spec.Database.Managed.StorageSize = "lots"; break;
                case "external": spec.Database.Mode = DatabaseMode.External; break;
                case "nodeport": spec.Proxy.Service = new() { Type = ServiceKind.ClusterIP, NodePort = 30001 }; break;
                case "secret": spec.AdminTokenSecretRef = new(); break;
            }
        });

        var error = Assert.Single(ApiGatewayValidation.Validate(gateway));
        Assert.StartsWith(message, error);
    }

    [Fact]
    public void A_name_too_long_for_the_migration_job_is_refused()
    {
        var gateway = Gateways.New(name: new string('g', 45));
        Assert.Equal(["metadata.name: at most 44 characters so that child names fit (got 45)"], ApiGatewayValidation.Validate(gateway));
    }

    [Theory]
    [InlineData("edge.prod")]
    [InlineData("1edge")]
    public void A_name_that_cannot_name_a_service_is_refused(string name)
    {
        var gateway = Gateways.New(name: name);
        Assert.Equal([$"metadata.name: '{name}' cannot name the gateway's Services: use lower-case letters, digits and '-', starting with a letter"],
            ApiGatewayValidation.Validate(gateway));
    }
}
