using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Store;
using Gateway.Proxy.Store.Memory;
using Route = Gateway.Proxy.Entities.Route;

namespace Gateway.Proxy.Tests.Store.Memory;

public class MemoryConfigStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Service Service(string name, params string[] tags) =>
        new() { Id = Guid.NewGuid(), Name = name, Host = name + ".example", Tags = tags.Length == 0 ? null : tags };

    private static Route RouteOf(Service service, string name) =>
        new() { Id = Guid.NewGuid(), Name = name, Paths = ["/" + name], Service = new EntityRef(service.Id) };

    [Fact]
    public async Task IsReadOnlyAndServesTheInitialConfiguration()
    {
        var foo = Service("foo");
        var store = new MemoryConfigStore(ConfigData.From(7, [foo]));
        Assert.True(store.IsReadOnly);
        Assert.Equal(7, await store.GetVersionAsync(None));
        Assert.Same(foo, await store.GetAsync(EntityCatalog.Services, foo.Id, None));
        Assert.Null(await store.GetAsync(EntityCatalog.Services, Guid.NewGuid(), None));
        Assert.Null(await store.GetAsync(EntityCatalog.Routes, foo.Id, None));
        Assert.Same(foo, Assert.Single((await store.LoadAllAsync(None)).Services));
    }

    [Fact]
    public async Task FindsByUniqueField()
    {
        var foo = Service("foo");
        var alice = new Consumer { Id = Guid.NewGuid(), Username = "alice", CustomId = "c-1" };
        var store = new MemoryConfigStore(ConfigData.From(0, [foo, Service("bar"), alice]));
        Assert.Same(foo, await store.FindAsync(EntityCatalog.Services, "name", "foo", None));
        Assert.Null(await store.FindAsync(EntityCatalog.Services, "name", "FOO", None));
        Assert.Same(alice, await store.FindAsync(EntityCatalog.Consumers, "custom_id", "c-1", None));
    }

    [Fact]
    public async Task ListsPageByPageInIdOrder()
    {
        var services = Enumerable.Range(0, 5).Select(i => Service("s" + i)).ToList();
        var store = new MemoryConfigStore(ConfigData.From(0, services));

        var seen = new List<Entity>();
        string? offset = null;
        var pages = 0;
        do
        {
            var page = await store.ListAsync(EntityCatalog.Services, new ListQuery(Size: 2, Offset: offset), None);
            Assert.True(page.Items.Count is > 0 and <= 2);
            seen.AddRange(page.Items);
            offset = page.Next;
            pages++;
        } while (offset is not null);

        Assert.Equal(3, pages);
        var expected = services.Select(s => s.Id.ToString()).Order(StringComparer.Ordinal);
        Assert.Equal(expected, seen.Select(s => s.Id.ToString()));
    }

    [Fact]
    public async Task LastFullPageHasNoNextToken()
    {
        var store = new MemoryConfigStore(ConfigData.From(0, [Service("a"), Service("b")]));
        var page = await store.ListAsync(EntityCatalog.Services, new ListQuery(Size: 2), None);
        Assert.Equal(2, page.Items.Count);
        Assert.Null(page.Next);
        var empty = await store.ListAsync(EntityCatalog.Routes, new ListQuery(), None);
        Assert.Empty(empty.Items);
        Assert.Null(empty.Next);
    }

    [Fact]
    public async Task NextTokenIsTheBase64UrlOfTheLastId()
    {
        var store = new MemoryConfigStore(ConfigData.From(0, [Service("a"), Service("b")]));
        var page = await store.ListAsync(EntityCatalog.Services, new ListQuery(Size: 1), None);
        Assert.Equal(page.Items[0].Id, OffsetToken.Decode(page.Next!));
        Assert.Equal(OffsetToken.Encode(page.Items[0].Id), page.Next);
        Assert.DoesNotContain('=', page.Next!);
    }

    [Theory]
    [InlineData("not base64 ###")]
    [InlineData("aGVsbG8")]
    public async Task InvalidOffsetIsAStoreError(string offset)
    {
        var store = new MemoryConfigStore(ConfigData.From(0, [Service("a")]));
        var error = await Assert.ThrowsAsync<StoreException>(() => store.ListAsync(EntityCatalog.Services, new ListQuery(Offset: offset), None));
        Assert.Equal(StoreErrorKind.InvalidOffset, error.Kind);
        Assert.StartsWith($"'{offset}' is not a valid offset", error.Message);
    }

    [Fact]
    public async Task ListsTheChildrenOfOneParent()
    {
        var foo = Service("foo");
        var bar = Service("bar");
        var store = new MemoryConfigStore(ConfigData.From(0, [foo, bar, RouteOf(foo, "f1"), RouteOf(foo, "f2"), RouteOf(bar, "b1")]));
        var page = await store.ListAsync(EntityCatalog.Routes, new ListQuery(ForeignField: "service", ForeignId: foo.Id), None);
        Assert.Equal(["f1", "f2"], page.Items.Cast<Route>().Select(r => r.Name!).Order());
    }

    [Fact]
    public async Task FiltersByAllTagsOrAnyTag()
    {
        var store = new MemoryConfigStore(ConfigData.From(0, [
            Service("ab", "a", "b"), Service("a", "a"), Service("c", "c"), Service("none"),
        ]));
        async Task<string[]> Names(ListQuery query) =>
            (await store.ListAsync(EntityCatalog.Services, query, None)).Items.Cast<Service>().Select(s => s.Name!).Order().ToArray();

        Assert.Equal(["ab"], await Names(new ListQuery(Tags: ["a", "b"])));
        Assert.Equal(["a", "ab"], await Names(new ListQuery(Tags: ["a"])));
        Assert.Equal(["ab", "c"], await Names(new ListQuery(Tags: ["b", "c"], AnyTag: true)));
        Assert.Equal(["a", "ab", "c", "none"], await Names(new ListQuery()));
    }

    [Fact]
    public async Task EntityWritesAreRefusedAsKongRefusesThemWithoutADatabase()
    {
        var foo = Service("foo");
        var store = new MemoryConfigStore(ConfigData.From(0, [foo]));

        var insert = await Assert.ThrowsAsync<StoreException>(() => store.InsertAsync(Service("bar"), None));
        Assert.Equal(StoreErrorKind.ReadOnly, insert.Kind);
        Assert.Equal("cannot create 'services' entities when not using a database", insert.Message);

        var update = await Assert.ThrowsAsync<StoreException>(() => store.UpdateAsync(foo with { Port = 81 }, None));
        Assert.Equal("cannot update 'services' entities when not using a database", update.Message);

        var delete = await Assert.ThrowsAsync<StoreException>(() => store.DeleteAsync(EntityCatalog.Routes, Guid.NewGuid(), None));
        Assert.Equal("cannot delete 'routes' entities when not using a database", delete.Message);

        Assert.Same(foo, Assert.Single((await store.LoadAllAsync(None)).Services));
    }

    [Fact]
    public async Task ReplaceAllSwapsTheConfigurationAndBumpsTheVersion()
    {
        var store = new MemoryConfigStore();
        ConfigData? announced = null;
        store.Replaced += config => announced = config;
        Assert.Equal(0, await store.GetVersionAsync(None));

        var foo = Service("foo");
        await store.ReplaceAllAsync(ConfigData.From(0, [foo, RouteOf(foo, "r")]), None);
        Assert.Equal(1, await store.GetVersionAsync(None));
        var loaded = await store.LoadAllAsync(None);
        Assert.Equal(1, loaded.Version);
        Assert.Same(loaded, announced);
        Assert.Same(foo, await store.FindAsync(EntityCatalog.Services, "name", "foo", None));

        await store.ReplaceAllAsync(ConfigData.From(42, [Service("bar")]), None);
        Assert.Equal(2, await store.GetVersionAsync(None));
        Assert.Null(await store.FindAsync(EntityCatalog.Services, "name", "foo", None));
    }

    [Fact]
    public async Task ReplaceAllRefusesDuplicatesAndKeepsTheOldConfiguration()
    {
        var foo = Service("foo");
        var store = new MemoryConfigStore(ConfigData.From(3, [foo]));
        var error = await Assert.ThrowsAsync<StoreException>(() =>
            store.ReplaceAllAsync(ConfigData.From(0, [Service("dup"), Service("dup")]), None));
        Assert.Equal(StoreErrorKind.UniqueViolation, error.Kind);
        Assert.Contains("uniqueness violation: 'services' entity with name set to 'dup' already declared", error.Message);
        Assert.Equal("uniqueness violation: 'services' entity with name set to 'dup' already declared",
            Assert.Single(error.Fields).Value);

        Assert.Equal(3, await store.GetVersionAsync(None));
        Assert.Same(foo, Assert.Single((await store.LoadAllAsync(None)).Services));
    }

    [Fact]
    public async Task ReplaceAllRefusesDanglingReferences()
    {
        var store = new MemoryConfigStore();
        var error = await Assert.ThrowsAsync<StoreException>(() =>
            store.ReplaceAllAsync(ConfigData.From(0, [RouteOf(Service("gone"), "r")]), None));
        Assert.Equal(StoreErrorKind.ForeignKeyViolation, error.Kind);
        Assert.Contains("no such entry in 'services'", error.Message);
        Assert.Equal(0, await store.GetVersionAsync(None));
    }
}
