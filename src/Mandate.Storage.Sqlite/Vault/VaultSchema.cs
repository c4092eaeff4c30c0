using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Vault;

/// <summary>Tables of <c>vault.db</c>.</summary>
/// <remarks>
/// Version 2 adds what lets a gateway hold decrypted secrets in memory and still see every change: a per-secret
/// <c>version</c> and one <c>vault_generation</c> row (the store's random id and a counter that every set and delete
/// raises in the same transaction; a secret's version is the counter value that wrote it). Polling that one row tells
/// another process whether anything changed, without decrypting. <c>PRAGMA data_version</c> would not do: it only
/// compares commits seen by one open connection, and the vault opens a connection per operation.
/// Version 1 files are upgraded in place, in one transaction, by the first process that opens them.
/// </remarks>
internal static class VaultSchema
{
    public const int Version = 2;

    private const string Tables = """
        CREATE TABLE IF NOT EXISTS vault_secrets (
            name       TEXT PRIMARY KEY,
            key_id     TEXT NOT NULL,
            nonce      BLOB NOT NULL,
            ciphertext BLOB NOT NULL,
            tag        BLOB NOT NULL,
            updated    TEXT NOT NULL,
            version    INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE IF NOT EXISTS vault_generation (
            id         INTEGER PRIMARY KEY CHECK (id = 1),
            store      TEXT NOT NULL,
            generation INTEGER NOT NULL
        );
        """;

    /// <summary>Creates or upgrades the schema. Throws <see cref="InvalidDataException"/> for a file written by a newer
    /// build.</summary>
    public static void Ensure(SqliteConnection connection)
    {
        // WAL lets the CLI write while the gateway reads.
        SqliteFiles.Exec(connection, "PRAGMA journal_mode = WAL;");
        // Immediate: two processes opening an old file at once upgrade it once, one after the other.
        using var tx = connection.BeginTransaction(deferred: false);
        SqliteFiles.Exec(connection, "CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL);", tx);
        switch (ReadVersion(connection, tx))
        {
            case null:
                SqliteFiles.Exec(connection, Tables, tx);
                InsertGeneration(connection, tx);
                SqliteFiles.Exec(connection, $"INSERT INTO schema_version (component, version) VALUES ('vault', {Version});", tx);
                break;
            case 1:
                UpgradeFrom1(connection, tx);
                break;
            case Version:
                break;
            case var other:
                throw new InvalidDataException($"vault.db has schema version {other}, this build reads {Version}");
        }
        tx.Commit();
    }

    /// <summary>The file's vault schema version; null for a new file.</summary>
    public static int? ReadVersion(SqliteConnection connection, SqliteTransaction? tx)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT version FROM schema_version WHERE component = 'vault';";
        return cmd.ExecuteScalar() is long version ? (int)version : null;
    }

    /// <summary>Raises the store's counter inside the caller's write transaction; returns the new value, which is the
    /// version of whatever that transaction writes.</summary>
    public static long NextGeneration(SqliteConnection connection, SqliteTransaction tx)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "UPDATE vault_generation SET generation = generation + 1 WHERE id = 1 RETURNING generation;";
        return cmd.ExecuteScalar() is long generation
            ? generation
            : throw new InvalidDataException("vault.db has no generation row");
    }

    /// <summary>Version 1 → 2 inside the caller's transaction: every existing secret gets a distinct version (its
    /// rowid), and the counter starts above all of them.</summary>
    private static void UpgradeFrom1(SqliteConnection connection, SqliteTransaction tx)
    {
        // Version 1 created its table after writing its version row, outside a transaction: a process stopped in
        // between left a version 1 file without the table.
        SqliteFiles.Exec(connection, """
            CREATE TABLE IF NOT EXISTS vault_secrets (
                name       TEXT PRIMARY KEY,
                key_id     TEXT NOT NULL,
                nonce      BLOB NOT NULL,
                ciphertext BLOB NOT NULL,
                tag        BLOB NOT NULL,
                updated    TEXT NOT NULL
            );
            ALTER TABLE vault_secrets ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
            UPDATE vault_secrets SET version = rowid;
            """, tx);
        SqliteFiles.Exec(connection, Tables, tx);
        InsertGeneration(connection, tx);
        SqliteFiles.Exec(connection, $"UPDATE schema_version SET version = {Version} WHERE component = 'vault';", tx);
    }

    private static void InsertGeneration(SqliteConnection connection, SqliteTransaction tx)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO vault_generation (id, store, generation) VALUES (1, $store, (SELECT COALESCE(MAX(version), 0) FROM vault_secrets));";
        cmd.Parameters.AddWithValue("$store", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        cmd.ExecuteNonQuery();
    }
}
