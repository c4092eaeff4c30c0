namespace Mandate.Storage.Sqlite.Mcp;

/// <summary>Settings of the SQLite tool pin store. Immutable.</summary>
public sealed record SqliteToolPinStoreOptions
{
    /// <summary>Directory holding <c>mcp-pins.db</c>. Required; created if missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>How long to wait on a lock held by another process. Default 2 s.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Path of the database file.</summary>
    public string DatabasePath => Path.Combine(DataDirectory, "mcp-pins.db");
}
