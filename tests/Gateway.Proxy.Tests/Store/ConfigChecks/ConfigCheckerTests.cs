using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Store.ConfigChecks;
using Route = Gateway.Proxy.Entities.Route;

namespace Gateway.Proxy.Tests.Store.ConfigChecks;

public class ConfigCheckerTests
{
    private static Service Service(string? name) => new() { Id = Guid.NewGuid(), Name = name, Host = "example.com" };

    private static Route RouteOf(Guid serviceId, string? name = null) =>
        new() { Id = Guid.NewGuid(), Name = name, Paths = ["/"], Service = new EntityRef(serviceId) };

    [Fact]
    public void ValidConfigurationHasNoProblems()
    {
        var service = Service("foo");
        var upstream = new Upstream { Id = Guid.NewGuid(), Name = "up" };
        var config = ConfigData.From(1, [
            service, Service(null), Service(null), RouteOf(service.Id, "r1"), RouteOf(service.Id),
            upstream,
            new Target { Id = Guid.NewGuid(), Address = "10.0.0.1:80", Upstream = new EntityRef(upstream.Id) },
            new Target { Id = Guid.NewGuid(), Address = "10.0.0.2:80", Upstream = new EntityRef(upstream.Id) },
            new Plugin { Id = Guid.NewGuid(), Name = "cors" },
            new Plugin { Id = Guid.NewGuid(), Name = "cors", Service = new EntityRef(service.Id) },
        ]);
        Assert.Empty(ConfigChecker.Check(config));
        Assert.Empty(ConfigChecker.Check(ConfigData.Empty));
    }

    [Fact]
    public void DuplicateUniqueFieldIsReportedOnTheLaterEntity()
    {
        var first = Service("foo");
        var second = Service("foo");
        var problem = Assert.Single(ConfigChecker.Check(ConfigData.From(0, [first, second])));
        Assert.Equal(ConfigProblemKind.Duplicate, problem.Problem);
        Assert.Same(EntityCatalog.Services, problem.Kind);
        Assert.Same(second, problem.Entity);
        Assert.Equal(("name", "foo"), (problem.Field, problem.EntityLabel));
        Assert.Equal("uniqueness violation: 'services' entity with name set to 'foo' already declared", problem.Message);
    }

    [Fact]
    public void DuplicateConsumerCustomIdIsReportedEvenWithDifferentUsernames()
    {
        var problem = Assert.Single(ConfigChecker.Check(ConfigData.From(0, [
            new Consumer { Id = Guid.NewGuid(), Username = "a", CustomId = "x" },
            new Consumer { Id = Guid.NewGuid(), Username = "b", CustomId = "x" },
        ])));
        Assert.Equal(("custom_id", "b"), (problem.Field, problem.EntityLabel));
    }

    [Fact]
    public void DuplicateIdIsReportedWhenNothingElseRepeats()
    {
        var id = Guid.NewGuid();
        var problem = Assert.Single(ConfigChecker.Check(ConfigData.From(0, [
            Service("a") with { Id = id },
            Service("b") with { Id = id },
        ])));
        Assert.Equal("id", problem.Field);
        Assert.Equal($"uniqueness violation: 'services' entity with primary key set to '{id}' already declared", problem.Message);
    }

    [Fact]
    public void SameTargetTwiceInOneUpstreamButNotAcrossUpstreams()
    {
        var one = new Upstream { Id = Guid.NewGuid(), Name = "one" };
        var two = new Upstream { Id = Guid.NewGuid(), Name = "two" };
        Target TargetIn(Upstream u) => new() { Id = Guid.NewGuid(), Address = "10.0.0.1:80", Upstream = new EntityRef(u.Id) };
        var duplicate = TargetIn(one);
        var problem = Assert.Single(ConfigChecker.Check(ConfigData.From(0, [one, two, TargetIn(one), TargetIn(two), duplicate])));
        Assert.Same(duplicate, problem.Entity);
        Assert.Equal("target", problem.Field);
        Assert.Equal($"uniqueness violation: 'targets' entity with upstream '{one.Id}', target '10.0.0.1:80' already declared", problem.Message);
    }

    [Fact]
    public void SamePluginOnTheSameScopeTwice()
    {
        var service = Service("svc");
        var config = ConfigData.From(0, [
            service,
            new Plugin { Id = Guid.NewGuid(), Name = "rate-limiting", Service = new EntityRef(service.Id), Config = new JsonObject { ["second"] = 1 } },
            new Plugin { Id = Guid.NewGuid(), Name = "rate-limiting", Service = new EntityRef(service.Id), Config = new JsonObject { ["second"] = 2 } },
        ]);
        var problem = Assert.Single(ConfigChecker.Check(config));
        Assert.Equal("name", problem.Field);
        Assert.Equal($"uniqueness violation: 'plugins' entity with name 'rate-limiting', route null, service '{service.Id}', consumer null already declared",
            problem.Message);
    }

    [Fact]
    public void DanglingReferencesNameKindEntityAndField()
    {
        var missing = Guid.NewGuid();
        var route = RouteOf(missing, "orphan");
        var sni = new Sni { Id = Guid.NewGuid(), Name = "example.com", Certificate = new EntityRef(Guid.NewGuid()) };
        var problems = ConfigChecker.Check(ConfigData.From(0, [route, sni]));
        Assert.Equal(2, problems.Count);
        var routeProblem = Assert.Single(problems, p => p.Kind == EntityCatalog.Routes);
        Assert.Equal(ConfigProblemKind.DanglingReference, routeProblem.Problem);
        Assert.Equal(("service", "orphan"), (routeProblem.Field, routeProblem.EntityLabel));
        Assert.Equal($"invalid reference 'service: {missing}' (no such entry in 'services')", routeProblem.Message);
        Assert.Equal($"route 'orphan', service: invalid reference 'service: {missing}' (no such entry in 'services')", routeProblem.ToString());
        Assert.Equal("certificate", Assert.Single(problems, p => p.Kind == EntityCatalog.Snis).Field);
    }

    [Fact]
    public void EveryListedIdMustNameAnEntity()
    {
        var ca = new CaCertificate { Id = Guid.NewGuid(), Cert = "pem" };
        var missing = Guid.NewGuid();
        var service = Service("secure") with { Protocol = "https", CaCertificates = [ca.Id, missing] };

        var problem = Assert.Single(ConfigChecker.Check(ConfigData.From(0, [ca, service])));

        Assert.Equal(ConfigProblemKind.DanglingReference, problem.Problem);
        Assert.Equal(("ca_certificates", "secure"), (problem.Field, problem.EntityLabel));
        Assert.Equal($"invalid reference 'ca_certificates: {missing}' (no such entry in 'ca_certificates')", problem.Message);
    }

    [Fact]
    public void EntitiesWithoutAName()
    {
        var route = RouteOf(Guid.NewGuid());
        Assert.Equal(route.Id.ToString(), Assert.Single(ConfigChecker.Check(ConfigData.From(0, [route]))).EntityLabel);
    }
}
