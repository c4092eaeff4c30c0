namespace Mandate.Storage.Sqlite.Audit;

/// <summary>Settings of the SQLite audit log. Immutable.</summary>
public sealed record SqliteAuditOptions
{
    /// <summary>Directory holding <c>audit.db</c> and the checkpoint signing key. Required; created if missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Write a signed checkpoint after this many records. Default 1000.</summary>
    public int CheckpointEvery { get; init; } = 1000;

    /// <summary>Write a signed checkpoint at least this often while new records exist. Default 10 s.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest an append waits for durability before it returns <c>audit.timeout</c>. Default 5 s.</summary>
    public TimeSpan AppendTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long SQLite waits on a lock held by another connection before the batch fails. Default 2 s;
    /// keep it below <see cref="AppendTimeout"/>.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Most records written in one transaction. Default 1024.</summary>
    public int MaxBatch { get; init; } = 1024;

    /// <summary>Most appends waiting for the writer; beyond it appends fail with <c>audit.overloaded</c>. Default 65536.</summary>
    public int MaxPending { get; init; } = 65536;

    /// <summary>The WAL is copied into the database file (a SQLite checkpoint, on a thread of its own, never inside a
    /// commit) after the writer has appended about this many bytes to it. Default 4 MiB, about SQLite's own automatic
    /// threshold of 1,000 pages. If those copies fall 16 times this far behind, the writer copies by itself.</summary>
    public long WalCheckpointBytes { get; init; } = 4 << 20;

    /// <summary>PEM file with the public key checkpoints must verify against; null = the key beside the log
    /// (<c>audit-signing-key.pub.pem</c>). Pass an external copy to catch a replaced signing key.</summary>
    public string? PublicKeyPath { get; init; }

    /// <summary>Path of the database file.</summary>
    public string DatabasePath => Path.Combine(DataDirectory, "audit.db");
}
