using Gateway.Proxy.Entities;
using Gateway.Proxy.Store;
using Gateway.Proxy.Store.Postgres;
using Npgsql;

namespace Gateway.Proxy.IntegrationTests.Store;

public sealed class PostgresConfigStoreTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly ManualClock _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    private NpgsqlDataSource _dataSource = null!;
    private PostgresConfigStore _store = null!;
    private string _database = "";

    public async Task InitializeAsync()
    {
        _database = await postgres.MigratedDatabaseAsync();
        _dataSource = NpgsqlDataSource.Create(_database);
        _store = new PostgresConfigStore(_dataSource, _clock);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task Inserted_entities_of_every_kind_read_back_as_written()
    {
        var certificate = await Add(Valid.Certificate());
        var sni = await Add(Valid.Sni("api.example.test", certificate));
        var service = await Add(Valid.Service("orders", "team-a"));
        var route = await Add(Valid.Route("orders-route", service));
        var upstream = await Add(Valid.Upstream("orders.upstream"));
        var target = await Add(Valid.Target(upstream, "10.0.0.1:8080"));
        var consumer = await Add(Valid.Consumer("alice", "a-1"));
        var plugin = await Add(Valid.Plugin("rate-limiting", route: route, consumer: consumer));

        Entity[] all = [certificate, sni, service, route, upstream, target, consumer, plugin];
        foreach (var entity in all)
        {
            Assert.NotEqual(Guid.Empty, entity.Id);
            Assert.Equal(1_700_000_000, entity.CreatedAt);
            Assert.Equal(1_700_000_000, entity.UpdatedAt);
            Valid.Same(entity, await _store.GetAsync(EntityCatalog.Of(entity.GetType()), entity.Id, None));
        }
        Assert.Equal(route.Id, plugin.Route!.Id);
        Assert.Equal(["team-a"], service.Tags!);
    }

    [Fact]
    public async Task Insert_keeps_a_given_id_and_given_timestamps()
    {
        var id = Guid.NewGuid();
        var service = Valid.Service("billing") with { Id = id, CreatedAt = 100, UpdatedAt = 200 };

        var stored = await Add(service);

        Assert.Equal((id, 100L, 200L), (stored.Id, stored.CreatedAt, stored.UpdatedAt));
        Valid.Same(stored, await _store.GetAsync(EntityCatalog.Services, id, None));
    }

    [Fact]
    public async Task Insert_assigns_an_id_when_none_is_given()
    {
        var stored = await Add(Valid.Service("billing") with { Id = Guid.Empty });

        Assert.NotEqual(Guid.Empty, stored.Id);
        Valid.Same(stored, await _store.GetAsync(EntityCatalog.Services, stored.Id, None));
    }

    [Fact]
    public async Task Get_and_find_return_null_for_unknown_entities()
    {
        Assert.Null(await _store.GetAsync(EntityCatalog.Services, Guid.NewGuid(), None));
        Assert.Null(await _store.FindAsync(EntityCatalog.Services, "name", "nobody", None));
    }

    [Fact]
    public async Task Find_looks_entities_up_by_their_unique_fields()
    {
        var consumer = await Add(Valid.Consumer("bob", "crm-42"));
        var service = await Add(Valid.Service("search"));

        Valid.Same(consumer, await _store.FindAsync(EntityCatalog.Consumers, "username", "bob", None));
        Valid.Same(consumer, await _store.FindAsync(EntityCatalog.Consumers, "custom_id", "crm-42", None));
        Valid.Same(service, await _store.FindAsync(EntityCatalog.Services, "name", "search", None));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.FindAsync(EntityCatalog.Services, "host", "x", None));
    }

    [Fact]
    public async Task Update_replaces_the_entity_keeps_created_at_and_sets_updated_at()
    {
        var service = await Add(Valid.Service("orders"));
        _clock.Advance(TimeSpan.FromSeconds(30));

        var changed = Valid.Service("orders-v2") with { Id = service.Id, CreatedAt = 5, UpdatedAt = 5 };
        var updated = await _store.UpdateAsync(changed, None);

        Assert.Equal(service.CreatedAt, updated.CreatedAt);
        Assert.Equal(service.CreatedAt + 30, updated.UpdatedAt);
        var read = (Service)(await _store.GetAsync(EntityCatalog.Services, service.Id, None))!;
        Valid.Same(updated, read);
        Assert.Equal("orders-v2", read.Name);
        Assert.Null(await _store.FindAsync(EntityCatalog.Services, "name", "orders", None));
    }

    [Fact]
    public async Task Update_of_an_unknown_entity_is_not_found()
    {
        var missing = Valid.Service("ghost") with { Id = Guid.NewGuid() };

        var error = await Assert.ThrowsAsync<StoreException>(() => _store.UpdateAsync(missing, None));

        Assert.Equal(StoreErrorKind.NotFound, error.Kind);
        Assert.Equal(0, await _store.GetVersionAsync(None));
    }

    [Fact]
    public async Task A_taken_unique_value_is_refused_naming_the_field_and_value()
    {
        await Add(Valid.Service("orders"));
        await Add(Valid.Consumer("alice", "crm-1"));

        var service = await Assert.ThrowsAsync<StoreException>(() => _store.InsertAsync(Valid.Service("orders"), None));
        var consumer = await Assert.ThrowsAsync<StoreException>(() => _store.InsertAsync(Valid.Consumer("alice-2", "crm-1"), None));

        Assert.Equal(StoreErrorKind.UniqueViolation, service.Kind);
        Assert.Equal("UNIQUE violation detected on '{name=\"orders\"}'", service.Message);
        Assert.Equal(new Dictionary<string, string?> { ["name"] = "orders" }, service.Fields);
        Assert.Equal(StoreErrorKind.UniqueViolation, consumer.Kind);
        Assert.Equal(new Dictionary<string, string?> { ["custom_id"] = "crm-1" }, consumer.Fields);
    }

    [Fact]
    public async Task Renaming_onto_a_taken_name_is_refused_and_changes_nothing()
    {
        await Add(Valid.Service("orders"));
        var other = await Add(Valid.Service("billing"));
        var versionBefore = await _store.GetVersionAsync(None);

        var error = await Assert.ThrowsAsync<StoreException>(
            () => _store.UpdateAsync(Valid.Service("orders") with { Id = other.Id }, None));

        Assert.Equal(StoreErrorKind.UniqueViolation, error.Kind);
        Assert.Equal("orders", error.Fields["name"]);
        Assert.Equal("billing", ((Service)(await _store.GetAsync(EntityCatalog.Services, other.Id, None))!).Name);
        Assert.Equal(versionBefore, await _store.GetVersionAsync(None));
    }

    [Fact]
    public async Task A_taken_id_is_a_primary_key_violation()
    {
        var service = await Add(Valid.Service("orders"));

        var error = await Assert.ThrowsAsync<StoreException>(
            () => _store.InsertAsync(Valid.Service("other") with { Id = service.Id }, None));

        Assert.Equal(StoreErrorKind.UniqueViolation, error.Kind);
        Assert.Equal($"primary key violation on key '{{id=\"{service.Id}\"}}'", error.Message);
        Assert.Equal(service.Id.ToString(), error.Fields["id"]);
    }

    [Fact]
    public async Task The_same_target_twice_in_one_upstream_is_refused_but_allowed_in_another()
    {
        var first = await Add(Valid.Upstream("one.upstream"));
        var second = await Add(Valid.Upstream("two.upstream"));
        await Add(Valid.Target(first, "10.0.0.1:80"));
        await Add(Valid.Target(second, "10.0.0.1:80"));

        var error = await Assert.ThrowsAsync<StoreException>(() => _store.InsertAsync(Valid.Target(first, "10.0.0.1:80"), None));

        Assert.Equal(StoreErrorKind.UniqueViolation, error.Kind);
        Assert.Equal(new Dictionary<string, string?> { ["target"] = "10.0.0.1:80", ["upstream"] = first.Id.ToString() }, error.Fields);
        Assert.Equal($"UNIQUE violation detected on '{{target=\"10.0.0.1:80\",upstream={{id=\"{first.Id}\"}}}}'", error.Message);
    }

    [Fact]
    public async Task One_plugin_of_a_name_per_scope_including_the_global_scope()
    {
        var route = await Add(Valid.Route("r", null));
        await Add(Valid.Plugin("cors"));
        await Add(Valid.Plugin("cors", route: route));
        await Add(Valid.Plugin("key-auth"));

        var global = await Assert.ThrowsAsync<StoreException>(() => _store.InsertAsync(Valid.Plugin("cors"), None));
        var onRoute = await Assert.ThrowsAsync<StoreException>(() => _store.InsertAsync(Valid.Plugin("cors", route: route), None));

        Assert.Equal(StoreErrorKind.UniqueViolation, global.Kind);
        Assert.Equal(
            new Dictionary<string, string?> { ["consumer"] = null, ["name"] = "cors", ["route"] = null, ["service"] = null },
            global.Fields);
        Assert.Equal("UNIQUE violation detected on '{consumer=null,name=\"cors\",route=null,service=null}'", global.Message);
        Assert.Equal(route.Id.ToString(), onRoute.Fields["route"]);
    }

    [Fact]
    public async Task A_reference_to_a_missing_parent_is_refused_on_insert_and_update()
    {
        var ghost = Valid.Service("ghost") with { Id = Guid.NewGuid() };
        var route = await Add(Valid.Route("r", null));

        var insert = await Assert.ThrowsAsync<StoreException>(() => _store.InsertAsync(Valid.Route("r2", ghost), None));
        var update = await Assert.ThrowsAsync<StoreException>(
            () => _store.UpdateAsync(Valid.Route("r", ghost) with { Id = route.Id }, None));

        Assert.Equal(StoreErrorKind.ForeignKeyViolation, insert.Kind);
        Assert.Equal($"the foreign key '{{id=\"{ghost.Id}\"}}' does not reference an existing 'services' entity.", insert.Message);
        Assert.Equal(new Dictionary<string, string?> { ["service"] = ghost.Id.ToString() }, insert.Fields);
        Assert.Equal(StoreErrorKind.ForeignKeyViolation, update.Kind);
        Assert.Equal(ghost.Id.ToString(), update.Fields["service"]);
        Assert.Null(await _store.FindAsync(EntityCatalog.Routes, "name", "r2", None));
    }

    [Fact]
    public async Task Deleting_a_service_that_routes_use_is_refused()
    {
        var service = await Add(Valid.Service("orders"));
        var route = await Add(Valid.Route("orders-route", service));
        var plugin = await Add(Valid.Plugin("cors", service: service));
        var versionBefore = await _store.GetVersionAsync(None);

        var error = await Assert.ThrowsAsync<StoreException>(() => _store.DeleteAsync(EntityCatalog.Services, service.Id, None));

        Assert.Equal(StoreErrorKind.ReferencedByOthers, error.Kind);
        Assert.Equal("an existing 'routes' entity references this 'services' entity", error.Message);
        Assert.Equal("routes", error.Fields["@referenced_by"]);
        // Nothing was deleted, not even the plugin that would have cascaded.
        Assert.NotNull(await _store.GetAsync(EntityCatalog.Services, service.Id, None));
        Assert.NotNull(await _store.GetAsync(EntityCatalog.Plugins, plugin.Id, None));
        Assert.Equal(versionBefore, await _store.GetVersionAsync(None));

        Assert.True(await _store.DeleteAsync(EntityCatalog.Routes, route.Id, None));
        Assert.True(await _store.DeleteAsync(EntityCatalog.Services, service.Id, None));
        Assert.Null(await _store.GetAsync(EntityCatalog.Plugins, plugin.Id, None));
    }

    [Fact]
    public async Task Deleting_an_upstream_deletes_its_targets()
    {
        var upstream = await Add(Valid.Upstream("orders.upstream"));
        var other = await Add(Valid.Upstream("other.upstream"));
        var target = await Add(Valid.Target(upstream, "10.0.0.1:80"));
        var kept = await Add(Valid.Target(other, "10.0.0.1:80"));

        Assert.True(await _store.DeleteAsync(EntityCatalog.Upstreams, upstream.Id, None));

        Assert.Null(await _store.GetAsync(EntityCatalog.Targets, target.Id, None));
        Assert.NotNull(await _store.GetAsync(EntityCatalog.Targets, kept.Id, None));
    }

    [Fact]
    public async Task Deleting_a_certificate_deletes_its_snis()
    {
        var certificate = await Add(Valid.Certificate());
        var sni = await Add(Valid.Sni("a.example.test", certificate));

        Assert.True(await _store.DeleteAsync(EntityCatalog.Certificates, certificate.Id, None));

        Assert.Null(await _store.GetAsync(EntityCatalog.Snis, sni.Id, None));
    }

    [Fact]
    public async Task Deleting_a_route_or_consumer_deletes_their_plugins()
    {
        var route = await Add(Valid.Route("r", null));
        var consumer = await Add(Valid.Consumer("alice"));
        var onRoute = await Add(Valid.Plugin("cors", route: route));
        var onConsumer = await Add(Valid.Plugin("cors", consumer: consumer));
        var global = await Add(Valid.Plugin("cors"));

        await _store.DeleteAsync(EntityCatalog.Routes, route.Id, None);
        await _store.DeleteAsync(EntityCatalog.Consumers, consumer.Id, None);

        Assert.Null(await _store.GetAsync(EntityCatalog.Plugins, onRoute.Id, None));
        Assert.Null(await _store.GetAsync(EntityCatalog.Plugins, onConsumer.Id, None));
        Assert.NotNull(await _store.GetAsync(EntityCatalog.Plugins, global.Id, None));
    }

    [Fact]
    public async Task Deleting_an_unknown_entity_returns_false_and_keeps_the_version()
    {
        Assert.False(await _store.DeleteAsync(EntityCatalog.Services, Guid.NewGuid(), None));

        Assert.Equal(0, await _store.GetVersionAsync(None));
    }

    [Fact]
    public async Task Every_change_bumps_the_version_by_one()
    {
        Assert.Equal(0, await _store.GetVersionAsync(None));
        var service = await Add(Valid.Service("orders"));
        Assert.Equal(1, await _store.GetVersionAsync(None));
        await _store.UpdateAsync(service, None);
        Assert.Equal(2, await _store.GetVersionAsync(None));
        await _store.DeleteAsync(EntityCatalog.Services, service.Id, None);
        Assert.Equal(3, await _store.GetVersionAsync(None));
        // A refused write changes nothing, the version included.
        await Assert.ThrowsAsync<StoreException>(() => _store.UpdateAsync(service, None));
        Assert.Equal(3, await _store.GetVersionAsync(None));
    }

    [Fact]
    public async Task Concurrent_writes_get_distinct_consecutive_versions()
    {
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => _store.InsertAsync(Valid.Consumer($"user-{i}"), None))));

        var config = await _store.LoadAllAsync(None);
        Assert.Equal(20, config.Version);
        Assert.Equal(20, config.Consumers.Count);
    }

    [Fact]
    public async Task Listing_pages_through_every_entity_in_id_order()
    {
        var services = new List<Service>();
        for (var i = 0; i < 7; i++) services.Add(await Add(Valid.Service($"s{i}")));

        var first = await _store.ListAsync(EntityCatalog.Services, new ListQuery(Size: 3), None);
        var second = await _store.ListAsync(EntityCatalog.Services, new ListQuery(Size: 3, Offset: first.Next), None);
        var third = await _store.ListAsync(EntityCatalog.Services, new ListQuery(Size: 3, Offset: second.Next), None);

        Assert.Equal([3, 3, 1], new[] { first.Items.Count, second.Items.Count, third.Items.Count });
        Assert.NotNull(first.Next);
        Assert.NotNull(second.Next);
        Assert.Null(third.Next);
        var listed = first.Items.Concat(second.Items).Concat(third.Items).Select(s => s.Id.ToString()).ToList();
        Assert.Equal(services.Select(s => s.Id.ToString()).Order(StringComparer.Ordinal), listed);
        Valid.Same(services.Single(s => s.Id == first.Items[0].Id), first.Items[0]);
    }

    [Fact]
    public async Task A_page_that_holds_exactly_the_rest_has_no_next_token()
    {
        for (var i = 0; i < 3; i++) await Add(Valid.Service($"s{i}"));

        var page = await _store.ListAsync(EntityCatalog.Services, new ListQuery(Size: 3), None);
        var empty = await _store.ListAsync(EntityCatalog.Routes, new ListQuery(), None);

        Assert.Equal(3, page.Items.Count);
        Assert.Null(page.Next);
        Assert.Empty(empty.Items);
        Assert.Null(empty.Next);
    }

    [Theory]
    [InlineData("not a token!")]
    [InlineData("AAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task An_offset_the_store_did_not_produce_is_refused(string offset)
    {
        var error = await Assert.ThrowsAsync<StoreException>(
            () => _store.ListAsync(EntityCatalog.Services, new ListQuery(Offset: offset), None));

        Assert.Equal(StoreErrorKind.InvalidOffset, error.Kind);
        Assert.Equal($"'{offset}' is not a valid offset: bad base64 encoding", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task A_page_size_outside_1_to_1000_is_refused(int size)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.ListAsync(EntityCatalog.Services, new ListQuery(Size: size), None));
    }

    [Fact]
    public async Task Listing_by_parent_returns_only_its_children()
    {
        var orders = await Add(Valid.Service("orders"));
        var billing = await Add(Valid.Service("billing"));
        var mine = new[] { await Add(Valid.Route("o1", orders)), await Add(Valid.Route("o2", orders)) };
        await Add(Valid.Route("b1", billing));
        await Add(Valid.Route("none", null));

        var page = await _store.ListAsync(EntityCatalog.Routes, new ListQuery(ForeignField: "service", ForeignId: orders.Id), None);

        Assert.Equal(mine.Select(r => r.Id).Order(), page.Items.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task Listing_by_tags_needs_all_of_them_or_any_of_them()
    {
        var both = await Add(Valid.Service("both", "blue", "prod"));
        var blue = await Add(Valid.Service("blue", "blue"));
        var prod = await Add(Valid.Service("prod", "prod"));
        await Add(Valid.Service("untagged"));

        var all = await _store.ListAsync(EntityCatalog.Services, new ListQuery(Tags: ["blue", "prod"]), None);
        var any = await _store.ListAsync(EntityCatalog.Services, new ListQuery(Tags: ["blue", "prod"], AnyTag: true), None);
        var one = await _store.ListAsync(EntityCatalog.Services, new ListQuery(Tags: ["blue"]), None);

        Assert.Equal([both.Id], all.Items.Select(s => s.Id));
        Assert.Equal(new[] { both.Id, blue.Id, prod.Id }.Order(), any.Items.Select(s => s.Id).Order());
        Assert.Equal(new[] { both.Id, blue.Id }.Order(), one.Items.Select(s => s.Id).Order());
    }

    [Fact]
    public async Task Load_all_returns_every_entity_with_the_current_version()
    {
        var service = await Add(Valid.Service("orders"));
        var route = await Add(Valid.Route("r", service));
        var upstream = await Add(Valid.Upstream("u.upstream"));
        var target = await Add(Valid.Target(upstream, "10.0.0.2:80"));

        var config = await _store.LoadAllAsync(None);

        Assert.Equal(4, config.Version);
        Assert.Equal(4, config.Count);
        Valid.Same(service, config.Services.Single());
        Valid.Same(route, config.Routes.Single());
        Valid.Same(upstream, config.Upstreams.Single());
        Valid.Same(target, config.Targets.Single());
    }

    [Fact]
    public async Task Replace_all_swaps_the_whole_configuration_as_one_change()
    {
        await Add(Valid.Service("old"));
        await Add(Valid.Consumer("old-user"));
        var versionBefore = await _store.GetVersionAsync(None);
        var service = Valid.Service("new") with { Id = Guid.NewGuid() };
        var route = Valid.Route("new-route", service) with { Id = Guid.NewGuid(), CreatedAt = 42, UpdatedAt = 43 };
        var plugin = Valid.Plugin("cors", route: route) with { Id = Guid.NewGuid() };

        // Children listed before their parents: the store inserts parents first.
        await _store.ReplaceAllAsync(ConfigData.From(0, [plugin, route, service]), None);

        var config = await _store.LoadAllAsync(None);
        Assert.Equal(versionBefore + 1, config.Version);
        Assert.Equal(3, config.Count);
        Assert.Equal(service.Id, config.Services.Single().Id);
        Valid.Same(route, config.Routes.Single());
        Assert.Equal(plugin.Id, config.Plugins.Single().Id);
        Assert.Equal(1_700_000_000, config.Services.Single().CreatedAt);
    }

    [Fact]
    public async Task Replace_all_that_breaks_a_constraint_leaves_the_previous_configuration_intact()
    {
        var service = await Add(Valid.Service("orders"));
        await Add(Valid.Route("orders-route", service));
        var before = await _store.LoadAllAsync(None);
        var dangling = Valid.Route("dangling", Valid.Service("ghost") with { Id = Guid.NewGuid() });
        var duplicate = Valid.Service("dup");

        var missingParent = await Assert.ThrowsAsync<StoreException>(
            () => _store.ReplaceAllAsync(ConfigData.From(0, [Valid.Service("fresh"), dangling]), None));
        var twice = await Assert.ThrowsAsync<StoreException>(
            () => _store.ReplaceAllAsync(ConfigData.From(0, [duplicate, Valid.Service("dup")]), None));

        var sameId = await Assert.ThrowsAsync<StoreException>(
            () => _store.ReplaceAllAsync(ConfigData.From(0, [duplicate, Valid.Service("other") with { Id = duplicate.Id }]), None));

        var upstream = Valid.Upstream("u.upstream");
        var sameTarget = await Assert.ThrowsAsync<StoreException>(() => _store.ReplaceAllAsync(
            ConfigData.From(0, [upstream, Valid.Target(upstream, "10.0.0.9:80"), Valid.Target(upstream, "10.0.0.9:80")]), None));

        Assert.Equal(StoreErrorKind.ForeignKeyViolation, missingParent.Kind);
        Assert.Equal(dangling.Service!.Id.ToString(), missingParent.Fields["service"]);
        Assert.Equal(StoreErrorKind.UniqueViolation, twice.Kind);
        Assert.Equal("dup", twice.Fields["name"]);
        Assert.Equal(new Dictionary<string, string?> { ["id"] = duplicate.Id.ToString() }, sameId.Fields);
        Assert.Equal(new Dictionary<string, string?> { ["target"] = "10.0.0.9:80", ["upstream"] = upstream.Id.ToString() }, sameTarget.Fields);
        var after = await _store.LoadAllAsync(None);
        Assert.Equal(before.Version, after.Version);
        Valid.Same(before.Services.Single(), after.Services.Single());
        Valid.Same(before.Routes.Single(), after.Routes.Single());
    }

    [Fact]
    public async Task Replace_all_with_an_empty_configuration_deletes_everything()
    {
        var service = await Add(Valid.Service("orders"));
        await Add(Valid.Route("r", service));

        await _store.ReplaceAllAsync(ConfigData.Empty, None);

        var config = await _store.LoadAllAsync(None);
        Assert.Equal(0, config.Count);
        Assert.Equal(3, config.Version);
    }

    [Fact]
    public async Task The_stored_document_is_the_entity_and_the_columns_mirror_it()
    {
        var service = await Add(Valid.Service("orders", "t1"));

        var name = await PostgresFixture.ScalarAsync<string>(_database, $"SELECT doc->>'name' FROM services WHERE id = '{service.Id}'");
        var host = await PostgresFixture.ScalarAsync<string>(_database, $"SELECT doc->>'host' FROM services WHERE id = '{service.Id}'");
        var column = await PostgresFixture.ScalarAsync<string>(_database, $"SELECT name FROM services WHERE id = '{service.Id}'");
        var tags = await PostgresFixture.ScalarAsync<string[]>(_database, $"SELECT tags FROM services WHERE id = '{service.Id}'");

        Assert.Equal(("orders", "orders.internal", "orders"), (name, host, column));
        Assert.Equal(["t1"], tags);
    }

    [Fact]
    public async Task After_a_scoped_replace_the_store_reads_what_a_fresh_read_of_the_database_returns()
    {
        var manual = await Add(Valid.Service("manual"));
        await Add(Valid.Route("manual-route", manual));
        var services = Enumerable.Range(0, 12).Select(i => Valid.Service($"svc-{i}", "scope")).ToList();
        var routes = services.Select((service, i) => Valid.Route($"route-{i}", service, "scope")).ToList();
        var upstream = Valid.Upstream("u.upstream") with { Tags = ["scope"] };
        var target = Valid.Target(upstream, "10.0.0.1:80") with { Tags = ["scope"] };
        await _store.ReplaceScopedAsync(["scope"], ConfigData.From(0, [.. services, .. routes, upstream, target]), None);
        await _store.ReplaceScopedAsync(["scope"], ConfigData.From(0, [.. services[1..], .. routes[1..], upstream]), None);

        var known = await _store.LoadAllAsync(None);
        var fresh = await new PostgresConfigStore(_dataSource, _clock).LoadAllAsync(None);

        Assert.Equal(fresh.Version, known.Version);
        foreach (var kind in EntityCatalog.All)
        {
            Assert.Equal(fresh.Of(kind).Select(e => e.Id), known.Of(kind).Select(e => e.Id));
            foreach (var (expected, actual) in fresh.Of(kind).Zip(known.Of(kind))) Valid.Same(expected, actual);
        }
    }

    [Fact]
    public async Task A_write_through_another_node_is_seen_by_the_next_read_and_scoped_replace()
    {
        var scoped = Valid.Service("orders", "scope");
        await _store.ReplaceScopedAsync(["scope"], ConfigData.From(0, [scoped]), None);
        await _store.LoadAllAsync(None);

        // Another proxy on the same database takes a name the next document wants, outside the scope.
        var otherNode = new PostgresConfigStore(_dataSource, _clock);
        var taken = await otherNode.InsertAsync(Valid.Service("payments"), None);

        Assert.Equal(taken.Id, (await _store.LoadAllAsync(None)).Services.Single(s => s.Name == "payments").Id);
        await otherNode.InsertAsync(Valid.Consumer("someone"), None);
        var plan = await _store.ReplaceScopedAsync(["scope"], ConfigData.From(0, [scoped, Valid.Service("payments", "scope")]), None);
        Assert.Equal("name", Assert.Single(plan.Conflicts).Field);
        Assert.Contains(plan.Merged.Consumers, c => c.Username == "someone");
    }

    private async Task<T> Add<T>(T entity) where T : Entity => (T)await _store.InsertAsync(entity, None);

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
