namespace Mandate.Storage.Sqlite.Sessions;

/// <summary>Settings of the SQLite session store. Immutable.</summary>
public sealed record SqliteSessionStoreOptions
{
    /// <summary>Directory holding <c>sessions.db</c>. Required; created if missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>How long to wait on a lock held by another process. Default 2 s.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Path of the database file.</summary>
    public string DatabasePath => Path.Combine(DataDirectory, "sessions.db");
}
