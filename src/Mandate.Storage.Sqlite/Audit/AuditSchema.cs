using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Audit;

/// <summary>Tables of <c>audit.db</c>. The columns beside <c>body</c> are copies for filtering; verification trusts only
/// <c>prev_hash</c>, <c>hash</c> and <c>body</c>.</summary>
internal static class AuditSchema
{
    public const int Version = 1;

    public static void Ensure(SqliteConnection connection)
    {
        // WAL lets readers in other processes (the CLI) read while the server writes.
        SqliteFiles.Exec(connection, "PRAGMA journal_mode = WAL;");
        using var tx = connection.BeginTransaction();
        SqliteFiles.Exec(connection, """
            CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS audit_records (
                seq        INTEGER PRIMARY KEY,
                prev_hash  TEXT NOT NULL,
                hash       TEXT NOT NULL,
                body       TEXT NOT NULL,
                kind       TEXT NOT NULL,
                time       TEXT NOT NULL,
                agent      TEXT,
                session_id TEXT,
                decision   TEXT
            );
            CREATE INDEX IF NOT EXISTS audit_records_agent ON audit_records(agent, seq);
            CREATE INDEX IF NOT EXISTS audit_records_session ON audit_records(session_id, seq);
            CREATE INDEX IF NOT EXISTS audit_records_time ON audit_records(time);
            CREATE TABLE IF NOT EXISTS audit_checkpoints (
                id        INTEGER PRIMARY KEY,
                seq       INTEGER NOT NULL,
                hash      TEXT NOT NULL,
                time      TEXT NOT NULL,
                key_id    TEXT NOT NULL,
                signature TEXT NOT NULL
            );
            INSERT OR IGNORE INTO schema_version (component, version) VALUES ('audit', 1);
            """, tx);
        using (var check = connection.CreateCommand())
        {
            check.Transaction = tx;
            check.CommandText = "SELECT version FROM schema_version WHERE component = 'audit';";
            var version = Convert.ToInt32(check.ExecuteScalar());
            if (version != Version)
            {
                throw new InvalidOperationException($"audit.db has schema version {version}, this build reads {Version}");
            }
        }
        tx.Commit();
    }
}
