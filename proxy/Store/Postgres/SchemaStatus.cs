namespace Gateway.Proxy.Store.Postgres;

public enum SchemaState
{
    /// <summary>Exactly this build's migrations are applied.</summary>
    Current,

    /// <summary>Some of this build's migrations are missing: run <c>migrate</c>.</summary>
    Behind,

    /// <summary>The database holds migrations this build does not know: it was migrated by a newer build.</summary>
    Ahead,
}

/// <summary>How a database's schema compares with what this build needs, with a one-line message for operators.</summary>
public sealed record SchemaStatus(SchemaState State, int DatabaseVersion, int ExpectedVersion, string Message)
{
    public bool IsCurrent => State == SchemaState.Current;

    public static SchemaStatus Compare(IReadOnlyList<AppliedMigration> applied, IReadOnlyList<Migration> known)
    {
        var databaseVersion = 0;
        foreach (var migration in applied) databaseVersion = Math.Max(databaseVersion, migration.Version);
        var expected = known.Count == 0 ? 0 : known[^1].Version;

        var unknown = new List<string>();
        foreach (var migration in applied)
        {
            if (!known.Any(k => k.Version == migration.Version && k.Name == migration.Name))
                unknown.Add($"{migration.Version:D4}_{migration.Name}");
        }
        if (unknown.Count > 0)
        {
            return new SchemaStatus(SchemaState.Ahead, databaseVersion, expected,
                $"database schema is at version {databaseVersion}, newer than this build (version {expected}): it has migrations " +
                $"this build does not know ({string.Join(", ", unknown)}); run a newer Gateway.Proxy");
        }

        var missing = known.Count(k => !applied.Any(a => a.Version == k.Version));
        if (missing > 0)
        {
            return new SchemaStatus(SchemaState.Behind, databaseVersion, expected,
                $"database schema is at version {databaseVersion}, this build needs {expected}; run `Gateway.Proxy migrate`");
        }
        return new SchemaStatus(SchemaState.Current, databaseVersion, expected, $"database schema is at version {databaseVersion}, as this build needs");
    }
}
