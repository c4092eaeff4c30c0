using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Tokens;

/// <summary>The tables of <c>tokens.db</c>. Times are Unix milliseconds; lists are JSON arrays of strings.</summary>
internal static class TaskTokenSchema
{
    /// <summary>Creates the tables if missing, in WAL mode.</summary>
    public static void Ensure(SqliteConnection connection)
    {
        SqliteFiles.Exec(connection, "PRAGMA journal_mode = WAL;");
        SqliteFiles.Exec(connection, """
            CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
            INSERT OR IGNORE INTO schema_version (component, version) VALUES ('tokens', 1);
            CREATE TABLE IF NOT EXISTS tt_signing_keys (
                kid         TEXT PRIMARY KEY,
                alg         TEXT NOT NULL,
                private_key BLOB NOT NULL,
                nonce       BLOB,
                tag         BLOB,
                created     INTEGER NOT NULL,
                retired     INTEGER
            );
            CREATE TABLE IF NOT EXISTS tt_sessions (
                sid        TEXT PRIMARY KEY,
                parent_sid TEXT,
                agent      TEXT NOT NULL,
                user_id    TEXT,
                intent     TEXT NOT NULL,
                tools      TEXT NOT NULL,
                resources  TEXT NOT NULL,
                depth      INTEGER NOT NULL,
                created    INTEGER NOT NULL,
                expires    INTEGER NOT NULL
            );
            CREATE INDEX IF NOT EXISTS tt_sessions_expires ON tt_sessions (expires);
            CREATE TABLE IF NOT EXISTS tt_tokens (
                jti        TEXT PRIMARY KEY,
                sid        TEXT NOT NULL,
                parent_sid TEXT,
                parent_jti TEXT,
                agent      TEXT NOT NULL,
                user_id    TEXT,
                client_id  TEXT NOT NULL,
                chain      TEXT NOT NULL,
                depth      INTEGER NOT NULL,
                scopes     TEXT NOT NULL,
                audiences  TEXT NOT NULL,
                intent     TEXT NOT NULL,
                tools      TEXT NOT NULL,
                resources  TEXT NOT NULL,
                issued     INTEGER NOT NULL,
                expires    INTEGER NOT NULL,
                jkt        TEXT,
                kid        TEXT NOT NULL,
                token_sha256 TEXT
            );
            CREATE INDEX IF NOT EXISTS tt_tokens_expires ON tt_tokens (expires);
            CREATE TABLE IF NOT EXISTS tt_revocations (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                kind       TEXT NOT NULL,
                target     TEXT NOT NULL,
                reason     TEXT NOT NULL,
                revoked    INTEGER NOT NULL,
                keep_until INTEGER NOT NULL
            );
            CREATE INDEX IF NOT EXISTS tt_revocations_keep ON tt_revocations (keep_until);
            """);
    }
}
