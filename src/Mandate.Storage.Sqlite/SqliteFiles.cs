using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite;

/// <summary>Connection strings and per-connection settings shared by the SQLite stores.</summary>
internal static class SqliteFiles
{
    /// <summary>A connection string for <paramref name="path"/>. Pooling is off so a handle never outlives its owner
    /// (a pooled handle to a deleted file would keep "working"). <paramref name="create"/> = false opens an existing
    /// file only (read-write), never creating one.</summary>
    public static string ConnectionString(string path, bool readOnly, TimeSpan busyTimeout, bool create = true) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = readOnly ? SqliteOpenMode.ReadOnly : create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
        Pooling = false,
        DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
    }.ToString();

    /// <summary>Runs a statement that returns nothing of interest.</summary>
    public static void Exec(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = transaction;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Sets the busy timeout in milliseconds (finer than the connection string's whole seconds).</summary>
    public static void SetBusyTimeout(SqliteConnection connection, TimeSpan timeout) =>
        Exec(connection, $"PRAGMA busy_timeout = {(long)timeout.TotalMilliseconds};");

    /// <summary>
    /// Creates <paramref name="path"/> as an empty file with mode 600 when nothing is there yet (an empty file is a
    /// valid empty SQLite database, and SQLite gives its -wal and -shm files the same mode). Losing the race to
    /// another process that created it in between is fine; a directory in its place is left for Open to refuse.
    /// </summary>
    public static void CreatePrivateIfMissing(string path)
    {
        if (File.Exists(path) || Directory.Exists(path))
        {
            return;
        }
        try
        {
            PrivateFile.CreateNew(path).Dispose();
        }
        catch (IOException) when (File.Exists(path))
        {
            // created by another process in between
        }
    }

    /// <summary>Opens a read-write connection with the busy timeout and <c>synchronous = FULL</c> (every commit fsynced,
    /// and a checkpoint fsyncs the database file before the WAL may be rewound). <paramref name="create"/> = false
    /// refuses to create a missing file.</summary>
    public static SqliteConnection OpenDurable(string path, TimeSpan busyTimeout, bool create = true)
    {
        var connection = new SqliteConnection(ConnectionString(path, readOnly: false, busyTimeout, create));
        try
        {
            connection.Open();
            SetBusyTimeout(connection, busyTimeout);
            Exec(connection, "PRAGMA synchronous = FULL;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>True when <paramref name="path"/> is a regular file (not missing, not a directory).</summary>
    public static bool IsFile(string path) => File.Exists(path);
}
