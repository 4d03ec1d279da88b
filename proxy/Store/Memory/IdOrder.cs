namespace Gateway.Proxy.Store.Memory;

/// <summary>Ids ordered as their text sorts, which is also how Postgres orders uuid columns.</summary>
public static class IdOrder
{
    public static int Compare(Guid a, Guid b) => string.CompareOrdinal(a.ToString("D"), b.ToString("D"));
}
