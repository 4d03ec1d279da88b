using System.Text.Json.Nodes;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>Paging with size and offset, Kong's next links, and tag filters.</summary>
public class ListingTests(AdminPostgres postgres) : AdminTestBase(postgres)
{
    [Fact]
    public async Task An_empty_collection_is_data_and_a_null_next()
    {
        Assert.Equal("""{"data":[],"next":null}""", (await Client.GetAsync("/services")).Expect(200).Text);
    }

    [Fact]
    public async Task Pages_follow_next_links_until_next_is_null()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add(await ServiceAsync($"s{i}"));

        var seen = new List<string>();
        var path = "/services?size=2";
        var pages = 0;
        while (path is not null)
        {
            var page = (await Client.GetAsync(path)).Expect(200).Json;
            pages++;
            seen.AddRange(page["data"]!.AsArray().Select(e => e!["id"]!.GetValue<string>()));
            path = page["next"]?.GetValue<string>();
            if (path is not null)
            {
                Assert.Equal($"/services?offset={Uri.EscapeDataString(page["offset"]!.GetValue<string>())}&size=2", path);
            }
            else
            {
                Assert.False(page.ContainsKey("offset"));
            }
        }
        Assert.Equal(3, pages);
        Assert.Equal(ids.Order(), seen.Order());
    }

    [Fact]
    public async Task Nested_listings_page_with_links_under_the_parent()
    {
        await ServiceAsync("billing");
        for (var i = 0; i < 3; i++) await CreateAsync("/services/billing/routes", $$$"""{"paths":["/r{{{i}}}"]}""");
        var first = (await Client.GetAsync("/services/billing/routes?size=2")).Expect(200).Json;
        Assert.Equal(2, first["data"]!.AsArray().Count);
        var next = first["next"]!.GetValue<string>();
        Assert.StartsWith("/services/billing/routes?offset=", next);
        var second = (await Client.GetAsync(next)).Expect(200).Json;
        Assert.Single(second["data"]!.AsArray());
        Assert.Null(second["next"]);
    }

    [Fact]
    public async Task Invalid_size_and_offset_are_kongs_400s()
    {
        Assert.Equal("""{"code":9,"name":"invalid size","message":"size must be a number"}""",
            (await Client.GetAsync("/services?size=ten")).Expect(400).Text);
        Assert.Equal("size must be an integer between 1 and 1000",
            (await Client.GetAsync("/services?size=1001")).Expect(400).String("message"));
        var offset = (await Client.GetAsync("/services?offset=%25%25%25")).Expect(400);
        Assert.Equal(7, offset.Json["code"]!.GetValue<int>());
        Assert.Equal("invalid offset", offset.String("name"));
        Assert.Equal("'%%%' is not a valid offset: bad base64 encoding", offset.String("message"));
    }

    [Fact]
    public async Task Tags_filter_with_and_or_and_keep_the_filter_in_next_links()
    {
        var both = await CreateAsync("/consumers", """{"username":"both","tags":["prod","team-a"]}""");
        var prod = await CreateAsync("/consumers", """{"username":"prod","tags":["prod"]}""");
        var team = await CreateAsync("/consumers", """{"username":"team","tags":["team-a"]}""");
        await CreateAsync("/consumers", """{"username":"none"}""");

        Assert.Equal(new[] { both }, await IdsAsync("/consumers?tags=prod,team-a"));
        Assert.Equal(new[] { both, prod, team }.Order(), (await IdsAsync("/consumers?tags=prod/team-a")).Order());
        Assert.Equal(new[] { both, prod }.Order(), (await IdsAsync("/consumers?tags=prod")).Order());

        var page = (await Client.GetAsync("/consumers?tags=prod/team-a&size=1")).Expect(200).Json;
        Assert.EndsWith("&tags=prod%2Fteam-a&size=1", page["next"]!.GetValue<string>());

        var mixed = (await Client.GetAsync("/consumers?tags=a,b/c")).Expect(400);
        Assert.Equal(11, mixed.Json["code"]!.GetValue<int>());
        Assert.Equal("must be a table", mixed.Json["options"]!["tags"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_query_parameters_are_ignored()
    {
        await ServiceAsync("billing");
        Assert.Single((await Client.GetAsync("/services?foo=bar")).Expect(200).Json["data"]!.AsArray());
    }

    private async Task<string[]> IdsAsync(string path) =>
        (await Client.GetAsync(path)).Expect(200).Json["data"]!.AsArray().Select(e => e!["id"]!.GetValue<string>()).ToArray();
}
