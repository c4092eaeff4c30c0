using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Mandate.Core.Audit;
using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Audit;

/// <summary>
/// Reads <c>audit.db</c> through read-only connections, so it is safe from another process (the CLI) while a server
/// appends. Each call opens its own connection; every call sees one consistent snapshot.
/// </summary>
public sealed class SqliteAuditReader : IAuditReader
{
    private readonly SqliteAuditOptions _options;

    /// <summary>Creates a reader over the log in <see cref="SqliteAuditOptions.DataDirectory"/>.</summary>
    public SqliteAuditReader(SqliteAuditOptions options) => _options = options;

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditEntry> QueryAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (!SqliteFiles.IsFile(_options.DatabasePath))
        {
            yield break;
        }
        await using var connection = await OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        var sql = new StringBuilder("SELECT seq, prev_hash, hash, body FROM audit_records WHERE seq > $after");
        cmd.Parameters.AddWithValue("$after", query.AfterSeq);
        Filter(sql, cmd, "agent", query.Agent);
        Filter(sql, cmd, "session_id", query.Session);
        Filter(sql, cmd, "decision", query.Decision);
        Filter(sql, cmd, "kind", query.Kind);
        if (query.Since is { } since)
        {
            sql.Append(" AND time >= $since");
            cmd.Parameters.AddWithValue("$since", AuditRecordFormat.FormatTime(since));
        }
        if (query.Until is { } until)
        {
            sql.Append(" AND time < $until");
            cmd.Parameters.AddWithValue("$until", AuditRecordFormat.FormatTime(until));
        }
        sql.Append(" ORDER BY seq");
        if (query.Limit is { } limit)
        {
            sql.Append(" LIMIT $limit");
            cmd.Parameters.AddWithValue("$limit", Math.Max(0, limit));
        }
        cmd.CommandText = sql.ToString();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var body = reader.GetString(3);
            // A body that does not parse is still shown (as an empty event) so tampering is visible; verify names it.
            var parsed = AuditRecordFormat.Parse(body);
            var e = parsed?.Event ?? new AuditEvent { Kind = "" };
            yield return new AuditEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), e, body);
        }
    }

    /// <inheritdoc />
    public async ValueTask<long> GetHeadAsync(CancellationToken ct = default)
    {
        if (!SqliteFiles.IsFile(_options.DatabasePath))
        {
            return 0;
        }
        await using var connection = await OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM audit_records;";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
    }

    /// <inheritdoc />
    public async ValueTask<AuditVerification> VerifyAsync(CancellationToken ct = default)
    {
        if (!SqliteFiles.IsFile(_options.DatabasePath))
        {
            return new AuditVerification(0, 0, new AuditProblem(AuditProblemKind.Unreadable, 0, $"no audit log at `{_options.DatabasePath}`"));
        }
        ECDsa? publicKey = null;
        try
        {
            var keyPath = _options.PublicKeyPath ?? Path.Combine(_options.DataDirectory, AuditSigningKey.PublicKeyFile);
            if (File.Exists(keyPath))
            {
                publicKey = AuditSigningKey.LoadPublic(keyPath);
            }
            else if (_options.PublicKeyPath is not null)
            {
                return new AuditVerification(0, 0, new AuditProblem(AuditProblemKind.Unreadable, 0, $"public key `{keyPath}` not found"));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            return new AuditVerification(0, 0, new AuditProblem(AuditProblemKind.Unreadable, 0, $"cannot read the public key: {ex.Message}"));
        }

        using (publicKey)
        {
            try
            {
                await using var connection = await OpenAsync(ct);
                // One read transaction: records and checkpoints come from the same snapshot.
                await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
                var checkpoints = ReadCheckpoints(connection, tx);
                var columns = new ColumnCheck();
                var result = await AuditChainVerifier.VerifyAsync(ReadRecords(connection, tx, columns, ct), checkpoints, publicKey, ct);
                if (result.Ok && columns.FirstMismatch is { } seq)
                {
                    // The chain is intact but a filter column was changed: queries would hide or misfile this record.
                    return result with { Problem = new AuditProblem(AuditProblemKind.Edited, seq, $"the query columns of record {seq} disagree with its body") };
                }
                return result;
            }
            catch (SqliteException ex)
            {
                return new AuditVerification(0, 0, new AuditProblem(AuditProblemKind.Unreadable, 0, $"cannot read the audit log: {ex.Message}"));
            }
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(SqliteFiles.ConnectionString(_options.DatabasePath, readOnly: true, _options.BusyTimeout));
        await connection.OpenAsync(ct);
        return connection;
    }

    private static void Filter(StringBuilder sql, SqliteCommand cmd, string column, string? value)
    {
        if (value is null)
        {
            return;
        }
        sql.Append($" AND {column} = ${column}");
        cmd.Parameters.AddWithValue($"${column}", value);
    }

    private static List<AuditCheckpoint> ReadCheckpoints(SqliteConnection connection, SqliteTransaction tx)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT seq, hash, time, key_id, signature FROM audit_checkpoints ORDER BY seq, id;";
        using var reader = cmd.ExecuteReader();
        var list = new List<AuditCheckpoint>();
        while (reader.Read())
        {
            list.Add(new AuditCheckpoint(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }
        return list;
    }

    private static async IAsyncEnumerable<StoredAuditRecord> ReadRecords(SqliteConnection connection, SqliteTransaction tx, ColumnCheck columns, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT seq, prev_hash, hash, body, kind, time, agent, session_id, decision FROM audit_records ORDER BY seq;";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var seq = reader.GetInt64(0);
            var body = Encoding.UTF8.GetBytes(reader.GetString(3));
            if (columns.FirstMismatch is null && !ColumnsMatch(body, reader))
            {
                columns.FirstMismatch = seq;
            }
            yield return new StoredAuditRecord(seq, reader.GetString(1), reader.GetString(2), body);
        }
    }

    private static bool ColumnsMatch(byte[] body, SqliteDataReader row)
    {
        if (AuditRecordFormat.Parse(body) is not { Event: var e })
        {
            return true; // an unparsable body is the chain check's to report
        }
        static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return Text(row, 4) == e.Kind
            && Text(row, 5) == AuditRecordFormat.FormatTime(e.Time)
            && Text(row, 6) == e.Agent
            && Text(row, 7) == e.SessionId
            && Text(row, 8) == e.Decision;
    }

    /// <summary>Where the copied query columns first disagree with a record's body, found while the chain is read.</summary>
    private sealed class ColumnCheck
    {
        public long? FirstMismatch { get; set; }
    }
}
