using Gateway.Proxy.Entities;
using Gateway.Proxy.Store;
using Gateway.Proxy.Store.Postgres;
using Npgsql;

namespace Gateway.Proxy.IntegrationTests.Store;

/// <summary>
/// CA certificates and the services' upstream TLS fields in Postgres: stored and read back, and the ids of a service's
/// ca_certificates held to existing CA certificates by the store itself, as Postgres cannot hold array elements to a key.
/// </summary>
public sealed class UpstreamTlsStoreTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private NpgsqlDataSource _dataSource = null!;
    private PostgresConfigStore _store = null!;
    private string _database = "";

    public async Task InitializeAsync()
    {
        _database = await postgres.MigratedDatabaseAsync();
        _dataSource = NpgsqlDataSource.Create(_database);
        _store = new PostgresConfigStore(_dataSource);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task Ca_certificates_and_a_tls_service_read_back_as_written_with_their_columns()
    {
        var ca = await Add(Valid.CaCertificate("First CA"));
        var other = await Add(Valid.CaCertificate("Second CA"));
        var certificate = await Add(Valid.Certificate());
        var service = await Add(Valid.TlsService("secure", certificate, ca, other));

        var loaded = await _store.LoadAllAsync(None);

        Valid.Same(ca, loaded.All<CaCertificate>().Single(c => c.Id == ca.Id));
        Valid.Same(service, loaded.Services.Single());
        Assert.Equal(ca.CertDigest, await PostgresFixture.ScalarAsync<string>(_database, $"SELECT cert_digest FROM ca_certificates WHERE id = '{ca.Id}'"));
        Assert.Equal([ca.Id, other.Id], await PostgresFixture.ScalarAsync<Guid[]>(_database, $"SELECT ca_certificates FROM services WHERE id = '{service.Id}'"));
        Assert.Equal(certificate.Id, await PostgresFixture.ScalarAsync<Guid>(_database, $"SELECT client_certificate_id FROM services WHERE id = '{service.Id}'"));
    }

    [Fact]
    public async Task A_listed_id_that_names_no_ca_certificate_is_refused_on_insert_and_update()
    {
        var ca = await Add(Valid.CaCertificate());
        var ghost = Valid.CaCertificate("Ghost CA") with { Id = Guid.NewGuid() };
        var service = await Add(Valid.TlsService("secure", null, ca));

        var insert = await Assert.ThrowsAsync<StoreException>(() => _store.InsertAsync(Valid.TlsService("other", null, ca, ghost), None));
        var update = await Assert.ThrowsAsync<StoreException>(
            () => _store.UpdateAsync(Valid.TlsService("secure", null, ghost) with { Id = service.Id }, None));

        Assert.Equal(StoreErrorKind.ForeignKeyViolation, insert.Kind);
        Assert.Equal($"the foreign key '{{id=\"{ghost.Id}\"}}' does not reference an existing 'ca_certificates' entity.", insert.Message);
        Assert.Equal(new Dictionary<string, string?> { ["ca_certificates"] = ghost.Id.ToString() }, insert.Fields);
        Assert.Equal(StoreErrorKind.ForeignKeyViolation, update.Kind);
        Assert.Null(await _store.FindAsync(EntityCatalog.Services, "name", "other", None));
        Valid.Same(service, await _store.GetAsync(EntityCatalog.Services, service.Id, None));
    }

    [Fact]
    public async Task A_ca_certificate_a_service_lists_is_not_deleted()
    {
        var ca = await Add(Valid.CaCertificate());
        var service = await Add(Valid.TlsService("secure", null, ca));
        var version = await _store.GetVersionAsync(None);

        var error = await Assert.ThrowsAsync<StoreException>(() => _store.DeleteAsync(EntityCatalog.CaCertificates, ca.Id, None));

        Assert.Equal(StoreErrorKind.ListedByOthers, error.Kind);
        Assert.Equal($"ca certificate {ca.Id} is still referenced by services (id = {service.Id})", error.Message);
        Assert.Equal(version, await _store.GetVersionAsync(None));
        await _store.UpdateAsync(service with { CaCertificates = null }, None);
        Assert.True(await _store.DeleteAsync(EntityCatalog.CaCertificates, ca.Id, None));
    }

    [Fact]
    public async Task A_certificate_a_service_presents_is_not_deleted()
    {
        var certificate = await Add(Valid.Certificate());
        await Add(Valid.TlsService("secure", certificate));

        var error = await Assert.ThrowsAsync<StoreException>(() => _store.DeleteAsync(EntityCatalog.Certificates, certificate.Id, None));

        Assert.Equal(StoreErrorKind.ReferencedByOthers, error.Kind);
        Assert.Equal("an existing 'services' entity references this 'certificates' entity", error.Message);
    }

    [Fact]
    public async Task Replace_all_with_a_listed_id_that_names_nothing_leaves_the_previous_configuration()
    {
        var ca = await Add(Valid.CaCertificate());
        await Add(Valid.TlsService("secure", null, ca));
        var before = await _store.LoadAllAsync(None);
        var ghost = Valid.CaCertificate("Ghost CA");

        var error = await Assert.ThrowsAsync<StoreException>(
            () => _store.ReplaceAllAsync(ConfigData.From(0, [Valid.CaCertificate("Fresh CA"), Valid.TlsService("fresh", null, ghost)]), None));

        Assert.Equal(StoreErrorKind.ForeignKeyViolation, error.Kind);
        Assert.Equal(ghost.Id.ToString(), error.Fields["ca_certificates"]);
        var after = await _store.LoadAllAsync(None);
        Assert.Equal(before.Version, after.Version);
        Valid.Same(before.Services.Single(), after.Services.Single());
    }

    private async Task<T> Add<T>(T entity) where T : Entity => (T)await _store.InsertAsync(entity, None);
}
