namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>Paths derived from reference fields: children of a parent, and the entity a reference names.</summary>
public class NestedPathTests(AdminPostgres postgres) : AdminTestBase(postgres)
{
    [Fact]
    public async Task Routes_under_a_service_are_created_with_the_service_and_listed_by_it()
    {
        var billing = await ServiceAsync("billing");
        var other = await ServiceAsync("other");
        var route = (await Client.PostFormAsync("/services/billing/routes", ("name", "invoices"), ("paths[]", "/invoices"))).Expect(201);
        Assert.Equal(billing, route.Json["service"]!["id"]!.GetValue<string>());
        await CreateAsync($"/services/{other}/routes", """{"paths":["/other"]}""");

        var listed = (await Client.GetAsync("/services/billing/routes")).Expect(200).Json["data"]!.AsArray();
        Assert.Equal(new[] { route.Id }, listed.Select(r => r!["id"]!.GetValue<string>()));
        Assert.Equal(route.Id, (await Client.GetAsync($"/services/{billing}/routes/invoices")).Expect(200).Id);
    }

    [Fact]
    public async Task A_child_of_another_parent_is_not_found_through_this_parent()
    {
        await ServiceAsync("billing");
        var other = await ServiceAsync("other");
        var route = await CreateAsync($"/services/{other}/routes", """{"name":"r","paths":["/other"]}""");

        (await Client.GetAsync($"/services/billing/routes/{route}")).Expect(404);
        (await Client.JsonAsync("PATCH", "/services/billing/routes/r", """{"paths":["/x"]}""")).Expect(404);
        await RefusedAsync(404, () => Client.DeleteAsync("/services/billing/routes/r"));
        (await Client.GetAsync($"/routes/{route}")).Expect(200);
    }

    [Fact]
    public async Task Nested_patch_and_delete_work_on_own_children()
    {
        await ServiceAsync("billing");
        await CreateAsync("/services/billing/routes", """{"name":"r","paths":["/a"]}""");
        var patched = (await Client.JsonAsync("PATCH", "/services/billing/routes/r", """{"paths":["/b"]}""")).Expect(200);
        Assert.Equal("/b", patched.Json["paths"]![0]!.GetValue<string>());
        (await Client.DeleteAsync("/services/billing/routes/r")).Expect(204);
        (await Client.GetAsync("/routes/r")).Expect(404);
    }

    [Fact]
    public async Task Unknown_parent_is_404_for_list_and_create()
    {
        (await Client.GetAsync("/services/nothing/routes")).Expect(404);
        await RefusedAsync(404, () => Client.PostJsonAsync("/services/nothing/routes", """{"paths":["/a"]}"""));
    }

    [Fact]
    public async Task The_service_of_a_route_can_be_read_and_patched_but_not_deleted_through_the_route()
    {
        var service = await ServiceAsync("billing");
        await CreateAsync("/routes", $$$"""{"name":"r","paths":["/a"],"service":{"id":"{{{service}}}"}}""");

        Assert.Equal(service, (await Client.GetAsync("/routes/r/service")).Expect(200).Id);
        var patched = (await Client.JsonAsync("PATCH", "/routes/r/service", """{"url":"http://edited.internal:1234/foo"}""")).Expect(200);
        Assert.Equal("edited.internal", patched.String("host"));
        Assert.Equal("""{"message":"Method not allowed"}""", (await Client.DeleteAsync("/routes/r/service")).Expect(405).Text);
    }

    [Fact]
    public async Task Put_on_a_missing_reference_creates_the_entity_and_points_the_owner_at_it()
    {
        var route = await CreateAsync("/routes", """{"name":"lonely","paths":["/a"]}""");
        (await Client.GetAsync("/routes/lonely/service")).Expect(404);

        var service = (await Client.JsonAsync("PUT", "/routes/lonely/service", """{"name":"made","host":"made.internal"}""")).Expect(200);
        var updated = (await Client.GetAsync($"/routes/{route}")).Expect(200);
        Assert.Equal(service.Id, updated.Json["service"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Plugins_under_services_routes_and_consumers_are_scoped_to_them()
    {
        var service = await ServiceAsync("billing");
        var route = await CreateAsync("/routes", $$$"""{"name":"r","paths":["/a"],"service":{"id":"{{{service}}}"}}""");
        await CreateAsync("/consumers", """{"username":"alice"}""");

        var onService = (await Client.PostJsonAsync("/services/billing/plugins", """{"name":"sample-limits","config":{"second":1}}""")).Expect(201);
        var onRoute = (await Client.PostJsonAsync("/routes/r/plugins", """{"name":"sample-limits","config":{"second":2}}""")).Expect(201);
        var onConsumer = (await Client.PostFormAsync("/consumers/alice/plugins", ("name", "sample-limits"), ("config.second", "3"))).Expect(201);

        Assert.Equal(service, onService.Json["service"]!["id"]!.GetValue<string>());
        Assert.Equal(route, onRoute.Json["route"]!["id"]!.GetValue<string>());
        Assert.NotNull(onConsumer.Json["consumer"]);
        Assert.Single((await Client.GetAsync("/routes/r/plugins")).Expect(200).Json["data"]!.AsArray());
        Assert.Equal(3, (await Client.GetAsync("/plugins")).Expect(200).Json["data"]!.AsArray().Count);
        Assert.Equal(route, (await Client.GetAsync($"/plugins/{onRoute.Id}/route")).Expect(200).Id);
    }

    [Fact]
    public async Task Targets_are_addressed_by_host_and_port_within_their_upstream()
    {
        await CreateAsync("/upstreams", """{"name":"pool"}""");
        await CreateAsync("/upstreams", """{"name":"other"}""");
        var target = (await Client.PostFormAsync("/upstreams/pool/targets", ("target", "backend.internal"))).Expect(201);
        Assert.Equal("backend.internal:8000", target.String("target"));
        await CreateAsync("/upstreams/other/targets", """{"target":"backend.internal:8000"}""");

        Assert.Equal(target.Id, (await Client.GetAsync("/upstreams/pool/targets/backend.internal:8000")).Expect(200).Id);
        Assert.Equal(target.Id, (await Client.GetAsync("/upstreams/pool/targets/backend.internal")).Expect(200).Id);
        Assert.Single((await Client.GetAsync("/upstreams/pool/targets/all")).Expect(200).Json["data"]!.AsArray());
        (await Client.GetAsync("/targets")).Expect(404);
        (await Client.GetAsync($"/targets/{target.Id}")).Expect(404);

        var conflict = await RefusedAsync(409, () => Client.PostJsonAsync("/upstreams/pool/targets", """{"target":"backend.internal:8000"}"""));
        Assert.Equal(5, conflict.Json["code"]!.GetValue<int>());

        (await Client.DeleteAsync("/upstreams/pool/targets/backend.internal:8000")).Expect(204);
        (await Client.GetAsync("/upstreams/other/targets/backend.internal:8000")).Expect(200);
    }

    [Fact]
    public async Task Snis_under_a_certificate()
    {
        var certificate = await CreateAsync("/certificates", TestCertificate.Create("example.com").Json);
        var sni = (await Client.PostFormAsync($"/certificates/{certificate}/snis", ("name", "example.com"))).Expect(201);
        Assert.Equal(certificate, sni.Json["certificate"]!["id"]!.GetValue<string>());
        Assert.Equal(sni.Id, (await Client.GetAsync($"/certificates/{certificate}/snis/example.com")).Expect(200).Id);
        Assert.Equal(certificate, (await Client.GetAsync("/snis/example.com/certificate")).Expect(200).Id);

        // Deleting the certificate takes its snis with it.
        (await Client.DeleteAsync($"/certificates/{certificate}")).Expect(204);
        (await Client.GetAsync("/snis/example.com")).Expect(404);
    }
}
