using Gateway.Proxy.Admin;
using Gateway.Proxy.Admin.Entities;
using Gateway.Proxy.Entities;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Tests.Admin;

public class EntityPathTests
{
    private static EntityPath? Parse(string path) => EntityPath.Parse(AdminApi.Segments(new PathString(path)));

    [Fact]
    public void Collection_and_item_paths()
    {
        Assert.Equal(new EntityPath.Collection(EntityCatalog.Services), Parse("/services"));
        Assert.Equal(new EntityPath.Collection(EntityCatalog.Consumers), Parse("/consumers/"));
        Assert.Equal(new EntityPath.Item(EntityCatalog.Services, "billing"), Parse("/services/billing"));
    }

    [Fact]
    public void Reference_field_paths_name_the_referenced_entity()
    {
        var path = Assert.IsType<EntityPath.Referenced>(Parse("/routes/r1/service"));
        Assert.Equal(EntityCatalog.Services, path.Target);
        Assert.Equal("service", path.Field.Name);
        Assert.Equal("r1", path.Key);

        var consumer = Assert.IsType<EntityPath.Referenced>(Parse("/plugins/p1/consumer"));
        Assert.Equal(EntityCatalog.Consumers, consumer.Target);
    }

    [Theory]
    [InlineData("/services/s/routes", "services", "routes", "service")]
    [InlineData("/services/s/plugins", "services", "plugins", "service")]
    [InlineData("/routes/r/plugins", "routes", "plugins", "route")]
    [InlineData("/consumers/c/plugins", "consumers", "plugins", "consumer")]
    [InlineData("/upstreams/u/targets", "upstreams", "targets", "upstream")]
    [InlineData("/upstreams/u/targets/all", "upstreams", "targets", "upstream")]
    [InlineData("/certificates/c/snis", "certificates", "snis", "certificate")]
    public void Nested_collections_follow_reference_fields(string url, string parent, string child, string field)
    {
        var path = Assert.IsType<EntityPath.Children>(Parse(url));
        Assert.Equal(parent, path.Parent.Name);
        Assert.Equal(child, path.Kind.Name);
        Assert.Equal(field, path.Field.Name);
    }

    [Fact]
    public void Nested_items_carry_both_keys()
    {
        var path = Assert.IsType<EntityPath.Child>(Parse("/upstreams/u/targets/10.0.0.1:80"));
        Assert.Equal("u", path.ParentKey);
        Assert.Equal("10.0.0.1:80", path.Key);
    }

    [Theory]
    [InlineData("/targets")]
    [InlineData("/targets/10.0.0.1:80")]
    [InlineData("/unknown")]
    [InlineData("/services/s/unknown")]
    [InlineData("/services/s/routes/r/extra")]
    [InlineData("/routes/r/service/more")]
    public void Unknown_or_unreachable_paths_are_not_entity_paths(string url)
    {
        Assert.Null(Parse(url));
    }

    [Fact]
    public void Encoded_slashes_stay_inside_a_segment()
    {
        Assert.Equal(new EntityPath.Item(EntityCatalog.Consumers, "a/b"), Parse("/consumers/a%2Fb"));
    }
}
