using System.Data;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Store.Scoped;
using Npgsql;

namespace Gateway.Proxy.Store.Postgres;

/// <summary>
/// The configuration in Postgres (schema: <see cref="Migrator"/>, layout: <see cref="TableLayout"/>). Every write
/// runs in a transaction that also bumps config_state.version and sends NOTIFY tollgate_config with the new
/// version; Postgres delivers the notification on commit. Writes hold one advisory lock until commit, so
/// versions are committed in order and a listener never sees version N+1 before N. Because every write bumps the
/// version, the configuration last read or written at a version is reused, instead of read again, for as long as
/// the database is still at that version (checked in the reading transaction).
/// </summary>
public sealed class PostgresConfigStore : IConfigStore
{
    public const int MaxPageSize = 1000;

    // One key for every configuration write ("Tollconf").
    private const long WriteLockKey = 0x546f6c6c_636f6e66;

    private static readonly string LockSql = $"SELECT pg_advisory_xact_lock({WriteLockKey})";

    private static readonly string BumpVersionSql =
        "WITH bumped AS (UPDATE config_state SET version = version + 1 RETURNING version) " +
        $"SELECT version, pg_notify('{PostgresChangeListener.Channel}', version::text) FROM bumped";

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;

    // The whole configuration as of its version, from the last full read or scoped replace; immutable, so shared freely.
    private volatile ConfigData? _known;

    public PostgresConfigStore(NpgsqlDataSource dataSource, TimeProvider? time = null)
    {
        _dataSource = dataSource;
        _time = time ?? TimeProvider.System;
    }

    public bool IsReadOnly => false;

    /// <summary>Every entity and the version, from one consistent snapshot of the database.</summary>
    public Task<ConfigData> LoadAllAsync(CancellationToken ct) => ReadAsync(async connection =>
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using (var readOnly = Command(connection, "SET TRANSACTION READ ONLY"))
            await readOnly.ExecuteNonQueryAsync(ct);
        var config = await LoadOnAsync(connection, ct);
        await transaction.CommitAsync(ct);
        return config;
    }, ct);

    /// <summary>
    /// Every entity and the version within the transaction open on <paramref name="connection"/>: the configuration
    /// already known when the database is still at its version, else read in full (and then known).
    /// </summary>
    private async Task<ConfigData> LoadOnAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        long version;
        await using (var current = Command(connection, "SELECT version FROM config_state"))
            version = (long)(await current.ExecuteScalarAsync(ct))!;
        if (_known is { } known && known.Version == version) return known;

        await using var batch = new NpgsqlBatch(connection);
        foreach (var layout in TableLayout.All)
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT doc FROM {layout.Table} ORDER BY id"));
        var byKind = new Dictionary<EntityKind, IReadOnlyList<Entity>>();
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            foreach (var layout in TableLayout.All)
            {
                var entities = new List<Entity>();
                while (await reader.ReadAsync(ct)) entities.Add(ReadDoc(reader, layout.Kind));
                byKind[layout.Kind] = entities;
                await reader.NextResultAsync(ct);
            }
        }
        var config = new ConfigData(version, byKind);
        _known = config;
        return config;
    }

    /// <summary>
    /// The configuration a committed write left at <paramref name="version"/>, in the order a full read returns it
    /// (by id, as Postgres orders uuids: byte by byte, which is the order of their text).
    /// </summary>
    private void Remember(ConfigData written, long version)
    {
        var byKind = new Dictionary<EntityKind, IReadOnlyList<Entity>>();
        foreach (var layout in TableLayout.All)
        {
            var entities = written.Of(layout.Kind).ToArray();
            Array.Sort(entities.Select(e => e.Id.ToString()).ToArray(), entities, StringComparer.Ordinal);
            byKind[layout.Kind] = entities;
        }
        _known = new ConfigData(version, byKind);
    }

    public Task<long> GetVersionAsync(CancellationToken ct) => ReadAsync(async connection =>
    {
        await using var command = Command(connection, "SELECT version FROM config_state");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }, ct);

    public Task<Entity?> GetAsync(EntityKind kind, Guid id, CancellationToken ct) =>
        ReadOneAsync(kind, $"SELECT doc FROM {kind.Name} WHERE id = $1", id, ct);

    public Task<Entity?> FindAsync(EntityKind kind, string field, string value, CancellationToken ct)
    {
        var unique = TableLayout.For(kind).Unique(field)
                     ?? throw new ArgumentException($"'{field}' is not a unique field of {kind.Name}", nameof(field));
        return ReadOneAsync(kind, $"SELECT doc FROM {kind.Name} WHERE {unique.Column} = $1", value, ct);
    }

    public async Task<EntityPage> ListAsync(EntityKind kind, ListQuery query, CancellationToken ct)
    {
        if (query.Size is < 1 or > MaxPageSize)
            throw new ArgumentOutOfRangeException(nameof(query), query.Size, $"size must be an integer between 1 and {MaxPageSize}");
        var layout = TableLayout.For(kind);
        var conditions = new List<string>();
        var values = new List<object>();

        // Keyset pagination: the page starts after the last id of the previous one, whatever was written since.
        if (query.Offset is not null)
        {
            values.Add(OffsetToken.Decode(query.Offset));
            conditions.Add($"id > ${values.Count}");
        }
        if (query.ForeignField is not null)
        {
            var reference = layout.Reference(query.ForeignField)
                            ?? throw new ArgumentException($"'{query.ForeignField}' is not a reference field of {kind.Name}", nameof(query));
            values.Add(query.ForeignId ?? throw new ArgumentException("ForeignId is required with ForeignField", nameof(query)));
            conditions.Add($"{reference.Column} = ${values.Count}");
        }
        if (query.Tags is { Count: > 0 } tags)
        {
            values.Add(tags.ToArray());
            conditions.Add($"tags {(query.AnyTag ? "&&" : "@>")} ${values.Count}");
        }

        var sql = new StringBuilder($"SELECT doc FROM {layout.Table}");
        if (conditions.Count > 0) sql.Append(" WHERE ").Append(string.Join(" AND ", conditions));
        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY id LIMIT {query.Size + 1}");

        return await ReadAsync(async connection =>
        {
            await using var command = Command(connection, sql.ToString(), [.. values]);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var items = new List<Entity>();
            var more = false;
            while (await reader.ReadAsync(ct))
            {
                if (items.Count == query.Size)
                {
                    more = true;
                    break;
                }
                items.Add(ReadDoc(reader, kind));
            }
            return new EntityPage(items, more ? OffsetToken.Encode(items[^1].Id) : null);
        }, ct);
    }

    public Task<Entity> InsertAsync(Entity entity, CancellationToken ct)
    {
        var stored = Stamp(entity);
        var layout = LayoutOf(stored);
        return WriteAsync(async connection =>
        {
            await CheckListedAsync(connection, layout, stored, ct);
            await using var command = Command(connection, layout.InsertSql, layout.Values(stored));
            await ExecuteRefusingAsync(command, stored, ct);
            return (stored, true);
        }, ct);
    }

    /// <summary>Replaces the entity with the same id, keeping its creation time.</summary>
    public Task<Entity> UpdateAsync(Entity entity, CancellationToken ct)
    {
        var layout = LayoutOf(entity);
        return WriteAsync(async connection =>
        {
            long createdAt;
            await using (var current = Command(connection, $"SELECT created_at FROM {layout.Table} WHERE id = $1 FOR UPDATE", entity.Id))
                createdAt = await current.ExecuteScalarAsync(ct) as long? ?? throw PostgresErrors.NotFound(entity.Id);

            var stored = entity with { CreatedAt = createdAt, UpdatedAt = Now() };
            await CheckListedAsync(connection, layout, stored, ct);
            await using var command = Command(connection, layout.UpdateSql, layout.Values(stored));
            await ExecuteRefusingAsync(command, stored, ct);
            return (stored, true);
        }, ct);
    }

    public Task<bool> DeleteAsync(EntityKind kind, Guid id, CancellationToken ct) => WriteAsync(async connection =>
    {
        await RefuseWhileListedAsync(connection, kind, id, ct);
        await using var command = Command(connection, $"DELETE FROM {kind.Name} WHERE id = $1", id);
        int deleted;
        try
        {
            deleted = await command.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (PostgresErrors.ForDelete(e, kind) is { } refusal)
        {
            throw refusal;
        }
        return (deleted > 0, deleted > 0);
    }, ct);

    /// <summary>Deletes everything and inserts <paramref name="config"/>, parents first, as one change.</summary>
    public Task ReplaceAllAsync(ConfigData config, CancellationToken ct)
    {
        var entities = new List<Entity>();
        foreach (var kind in EntityCatalog.All)
            foreach (var entity in config.Of(kind)) entities.Add(Stamp(entity));
        // Postgres would refuse the rest itself, but not an id in a reference list that names nothing.
        if (ConfigConstraints.FirstViolation(entities) is { } violation) throw violation;

        return WriteAsync(async connection =>
        {
            await using (var delete = new NpgsqlBatch(connection))
            {
                // Children first, so that no restricted reference stands in the way.
                foreach (var layout in TableLayout.All.Reverse())
                    delete.BatchCommands.Add(new NpgsqlBatchCommand($"DELETE FROM {layout.Table}"));
                await delete.ExecuteNonQueryAsync(ct);
            }
            if (entities.Count == 0) return (true, true);

            await using var insert = new NpgsqlBatch(connection);
            foreach (var entity in entities)
            {
                var layout = LayoutOf(entity);
                insert.BatchCommands.Add(Write(layout.InsertSql, layout, entity));
            }
            await ExecuteAsync(insert, entities, ct);
            return (true, true);
        }, ct);
    }

    /// <summary>
    /// Plans against the configuration read under the write lock, then, in the same transaction, deletes what the
    /// plan removes (children first) and upserts what it creates or updates (parents first). Upserting after the
    /// deletes also restores a kept entity that a cascade took with its old parent. One version, one notification.
    /// </summary>
    public Task<ScopedPlan> ReplaceScopedAsync(IReadOnlyList<string> selectTags, ConfigData document, CancellationToken ct) =>
        WriteAsync(remember: plan => plan.Merged, ct: ct, work: async connection =>
        {
            var plan = ScopedReplace.Plan(await LoadOnAsync(connection, ct), selectTags, document, Now());
            if (plan.Conflicts.Count > 0 || !plan.HasChanges) return (plan, false);
            var merged = new List<Entity>();
            foreach (var kind in EntityCatalog.All) merged.AddRange(plan.Merged.Of(kind));
            if (ConfigConstraints.FirstViolation(merged) is { } violation) throw violation;

            await using var batch = new NpgsqlBatch(connection);
            foreach (var layout in TableLayout.All.Reverse())
            {
                var ids = plan.Deleted.Where(d => d.Kind == layout.Kind).Select(d => d.Id).ToArray();
                if (ids.Length == 0) continue;
                var delete = new NpgsqlBatchCommand($"DELETE FROM {layout.Table} WHERE id = ANY($1)");
                delete.Parameters.Add(new NpgsqlParameter { Value = ids });
                batch.BatchCommands.Add(delete);
            }
            var written = plan.Created.Concat(plan.Updated).ToLookup(e => e.GetType());
            foreach (var layout in TableLayout.All)
            {
                foreach (var entity in written[layout.Kind.ClrType])
                    batch.BatchCommands.Add(Write(layout.UpsertSql, layout, entity));
            }
            await ExecuteAsync(batch, merged, ct);
            return (plan, true);
        });

    /// <summary>An insert or upsert of <paramref name="entity"/> into its table.</summary>
    private static NpgsqlBatchCommand Write(string sql, TableLayout layout, Entity entity)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in layout.Values(entity)) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }

    /// <summary>Runs a batch that writes <paramref name="entities"/>, turning a broken constraint into the entity that broke it.</summary>
    private static async Task ExecuteAsync(NpgsqlBatch batch, IReadOnlyList<Entity> entities, CancellationToken ct)
    {
        try
        {
            await batch.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation)
        {
            // Postgres names the constraint but not the entity that broke it; find that entity.
            throw ConfigConstraints.FirstViolation(entities) ?? PostgresErrors.Unexplained(e);
        }
    }

    /// <summary>
    /// Postgres holds no foreign keys on array elements, so every id in the entity's reference lists is looked up
    /// here. Every write holds the write lock, so nothing is deleted between this check and the commit.
    /// </summary>
    private static async Task CheckListedAsync(NpgsqlConnection connection, TableLayout layout, Entity entity, CancellationToken ct)
    {
        foreach (var list in layout.ReferenceLists)
        {
            var ids = list.Field.ListedIds(entity);
            if (ids.Length == 0) continue;
            await using var command = Command(connection,
                $"SELECT listed FROM unnest($1::uuid[]) AS listed WHERE NOT EXISTS (SELECT 1 FROM {list.ParentTable} WHERE id = listed) LIMIT 1",
                ids);
            if (await command.ExecuteScalarAsync(ct) is Guid missing) throw PostgresErrors.MissingParent(list.Field, missing);
        }
    }

    /// <summary>An entity that a reference list still holds (a CA certificate a service trusts) is not deleted, as in Kong.</summary>
    private static async Task RefuseWhileListedAsync(NpgsqlConnection connection, EntityKind kind, Guid id, CancellationToken ct)
    {
        foreach (var (listingKind, field) in EntityCatalog.ListingIn(kind))
        {
            var layout = TableLayout.For(listingKind);
            await using var command = Command(connection, $"SELECT id FROM {layout.Table} WHERE {field.Name} @> ARRAY[$1::uuid] LIMIT 1", id);
            if (await command.ExecuteScalarAsync(ct) is Guid listing) throw PostgresErrors.StillListed(kind, id, listingKind, listing);
        }
    }

    private Task<Entity?> ReadOneAsync(EntityKind kind, string sql, object key, CancellationToken ct) => ReadAsync(async connection =>
    {
        await using var command = Command(connection, sql, key);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadDoc(reader, kind) : null;
    }, ct);

    /// <summary>
    /// Runs a read; after a database restart the pool still holds dead connections, so a read that fails for
    /// want of a connection drops them and is tried once more.
    /// </summary>
    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> read, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(ct);
                return await read(connection);
            }
            catch (NpgsqlException e) when (PostgresErrors.IsUnavailable(e))
            {
                _dataSource.Clear();
                if (attempt == 2) throw PostgresErrors.Unavailable(e);
            }
        }
    }

    /// <summary>
    /// Runs a write in a transaction holding the write lock; when it changed something, the version is bumped
    /// and the change notified before the commit. <paramref name="work"/> returns its result and whether it changed anything;
    /// <paramref name="remember"/>, when given, gives the whole configuration a committed change left, known from then on.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<NpgsqlConnection, Task<(T Result, bool Changed)>> work, CancellationToken ct,
        Func<T, ConfigData>? remember = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var locked = false;
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(ct);
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using (var lockCommand = Command(connection, LockSql))
                    await lockCommand.ExecuteNonQueryAsync(ct);
                locked = true;

                var (result, changed) = await work(connection);
                long? version = null;
                if (changed)
                {
                    await using var bump = Command(connection, BumpVersionSql);
                    version = (long)(await bump.ExecuteScalarAsync(ct))!;
                }
                await transaction.CommitAsync(ct);
                if (version is { } committed && remember is not null) Remember(remember(result), committed);
                return result;
            }
            catch (NpgsqlException e) when (PostgresErrors.IsUnavailable(e))
            {
                _dataSource.Clear();
                // Nothing was written before the lock was held: only then is a second attempt certainly safe.
                if (locked || attempt == 2) throw PostgresErrors.Unavailable(e);
            }
        }
    }

    private static async Task ExecuteRefusingAsync(NpgsqlCommand command, Entity entity, CancellationToken ct)
    {
        try
        {
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (PostgresErrors.ForWrite(e, entity) is { } refusal)
        {
            throw refusal;
        }
    }

    private Entity Stamp(Entity entity)
    {
        var now = Now();
        return entity with
        {
            Id = entity.Id == Guid.Empty ? Guid.NewGuid() : entity.Id,
            CreatedAt = entity.CreatedAt == 0 ? now : entity.CreatedAt,
            UpdatedAt = entity.UpdatedAt == 0 ? now : entity.UpdatedAt,
        };
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeSeconds();

    private static TableLayout LayoutOf(Entity entity) => TableLayout.For(EntityCatalog.Of(entity.GetType()));

    private static Entity ReadDoc(NpgsqlDataReader reader, EntityKind kind) =>
        (Entity)JsonSerializer.Deserialize(reader.GetString(0), kind.ClrType, EntityJson.Options)!;

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }
}
