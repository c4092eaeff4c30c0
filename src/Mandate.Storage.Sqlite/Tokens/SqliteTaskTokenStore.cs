using System.Text.Json;
using System.Threading.Channels;
using Mandate.Core.Tokens;
using Mandate.Core.Vault;
using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Tokens;

/// <summary>
/// Task token state in <c>&lt;data-dir&gt;/tokens.db</c> (its own file, mode 600 from creation, WAL,
/// <c>synchronous=FULL</c>). Every write goes through one writer thread that commits whatever is queued in one
/// transaction (group commit) and completes the writes only after the commit: a returned write is on disk.
/// </summary>
/// <remarks>
/// Signing keys' private halves are sealed with <see cref="SqliteTaskTokenStoreOptions.KeyEncryptionKey"/> when one
/// is given (AES-256-GCM, kid as associated data), else stored as PKCS#8 under the file's mode 600.
/// Failures surface as <see cref="TaskTokenStoreException"/> from the awaited write; the connection is rebuilt for
/// the next batch.
/// </remarks>
public sealed class SqliteTaskTokenStore : ITaskTokenStore, IAsyncDisposable
{
    private readonly SqliteTaskTokenStoreOptions _options;
    private readonly Channel<PendingTokenWrite> _queue = Channel.CreateUnbounded<PendingTokenWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _writer;

    // Writer-only state.
    private SqliteConnection? _connection;
    private TaskTokenStatements? _statements;
    private long _commits;

    /// <summary>Creates the store; the file is created and its schema ensured on first use.</summary>
    public SqliteTaskTokenStore(SqliteTaskTokenStoreOptions options)
    {
        if (options.KeyEncryptionKey is { Length: not 32 })
        {
            throw new ArgumentException("the key encryption key must be 32 bytes", nameof(options));
        }
        _options = options;
        // A dedicated thread, as for the audit log: commits block on fsync and must not queue behind a busy pool.
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "mandate-token-writer" };
        _writer.Start();
    }

    /// <summary>Transactions committed so far (writes per commit = the group-commit batch size).</summary>
    public long CommitCount => Interlocked.Read(ref _commits);

    /// <inheritdoc />
    public Task<TaskTokenStoreSnapshot> LoadAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        try
        {
            using var connection = Open();
            var nowMs = now.ToUnixTimeMilliseconds();
            return Task.FromResult(new TaskTokenStoreSnapshot(ReadKeys(connection), ReadSessions(connection, nowMs), ReadTokens(connection, nowMs), ReadRevocations(connection, nowMs)));
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or JsonException or InvalidCastException or FormatException)
        {
            throw new TaskTokenStoreException($"the task token store cannot be read: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public Task SaveSigningKeyAsync(TaskSigningKeyRecord key, CancellationToken ct = default) => Enqueue(new PendingTokenWrite { Key = key });

    /// <inheritdoc />
    public Task SaveIssuedAsync(TaskSessionRecord session, TaskTokenRecord token, CancellationToken ct = default) =>
        Enqueue(new PendingTokenWrite { Session = session, Token = token });

    /// <inheritdoc />
    public Task SaveRevocationAsync(TaskRevocationRecord revocation, CancellationToken ct = default) => Enqueue(new PendingTokenWrite { Revocation = revocation });

    /// <inheritdoc />
    public Task<int> PruneAsync(DateTimeOffset now, TimeSpan maxLifetime, CancellationToken ct = default)
    {
        var write = new PendingTokenWrite { Prune = (now, maxLifetime) };
        return _queue.Writer.TryWrite(write) ? write.Done.Task : Task.FromException<int>(new TaskTokenStoreException("the task token store is closed"));
    }

    /// <summary>Writes what is queued, then closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writerDone.Task.ConfigureAwait(false);
    }

    private Task Enqueue(PendingTokenWrite write) =>
        _queue.Writer.TryWrite(write) ? write.Done.Task : Task.FromException(new TaskTokenStoreException("the task token store is closed"));

    private void WriteLoop()
    {
        try
        {
            var reader = _queue.Reader;
            var batch = new List<PendingTokenWrite>(_options.MaxBatch);
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (batch.Count < _options.MaxBatch && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }
                WriteBatch(batch);
                batch.Clear();
            }
        }
        finally
        {
            CloseConnection();
            _writerDone.TrySetResult();
        }
    }

    private void CloseConnection()
    {
        _statements?.Dispose();
        _statements = null;
        _connection?.Dispose();
        _connection = null;
    }

    private void WriteBatch(List<PendingTokenWrite> batch)
    {
        var results = new int[batch.Count];
        try
        {
            var connection = _connection ??= Open();
            var statements = _statements ??= new TaskTokenStatements(connection);
            using (var tx = connection.BeginTransaction(deferred: false))
            {
                statements.Begin(tx);
                for (var i = 0; i < batch.Count; i++)
                {
                    results[i] = Apply(statements, connection, tx, batch[i]);
                }
                // INVARIANT: nothing is acknowledged before this commit returns (WAL + synchronous=FULL fsyncs it).
                tx.Commit();
            }
            Interlocked.Increment(ref _commits);
        }
        catch (Exception ex)
        {
            // A boundary: whatever failed, these writes fail and the next batch starts from a fresh connection.
            CloseConnection();
            var failure = new TaskTokenStoreException($"the task token store could not be written: {ex.Message}", ex);
            foreach (var item in batch)
            {
                item.Done.TrySetException(failure);
            }
            return;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Done.TrySetResult(results[i]);
        }
    }

    private int Apply(TaskTokenStatements s, SqliteConnection connection, SqliteTransaction tx, PendingTokenWrite write)
    {
        if (write.Token is { } token)
        {
            s.InsertSession(write.Session!);
            s.InsertToken(token);
            return 1;
        }
        if (write.Revocation is { } revocation)
        {
            s.InsertRevocation(revocation);
            return 1;
        }
        if (write.Key is { } key)
        {
            var (blob, nonce, tag) = SealKey(key);
            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO tt_signing_keys (kid, alg, private_key, nonce, tag, created, retired) VALUES ($kid, $alg, $key, $nonce, $tag, $created, $retired)
                ON CONFLICT(kid) DO UPDATE SET retired = $retired;
                """;
            cmd.Parameters.AddWithValue("$kid", key.KeyId);
            cmd.Parameters.AddWithValue("$alg", key.Algorithm);
            cmd.Parameters.AddWithValue("$key", blob);
            cmd.Parameters.AddWithValue("$nonce", (object?)nonce ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$tag", (object?)tag ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$created", key.CreatedAt.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$retired", key.RetiredAt is { } r ? r.ToUnixTimeMilliseconds() : DBNull.Value);
            return cmd.ExecuteNonQuery();
        }
        if (write.Prune is { } prune)
        {
            var nowMs = prune.Now.ToUnixTimeMilliseconds();
            var keyLimit = (prune.Now - prune.MaxLifetime).ToUnixTimeMilliseconds();
            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                DELETE FROM tt_tokens WHERE expires <= $now;
                DELETE FROM tt_sessions WHERE expires <= $now;
                DELETE FROM tt_revocations WHERE keep_until <= $now;
                DELETE FROM tt_signing_keys WHERE retired IS NOT NULL AND retired <= $keyLimit;
                """;
            cmd.Parameters.AddWithValue("$now", nowMs);
            cmd.Parameters.AddWithValue("$keyLimit", keyLimit);
            return cmd.ExecuteNonQuery();
        }
        return 0;
    }

    private (byte[] Blob, byte[]? Nonce, byte[]? Tag) SealKey(TaskSigningKeyRecord key)
    {
        if (_options.KeyEncryptionKey is not { } kek)
        {
            return (key.PrivateKeyPkcs8, null, null);
        }
        var (nonce, ciphertext, tag) = VaultCipher.Seal(kek, "task-signing-key:" + key.KeyId, key.PrivateKeyPkcs8);
        return (ciphertext, nonce, tag);
    }

    private byte[] OpenKey(string kid, byte[] blob, byte[]? nonce, byte[]? tag)
    {
        if (nonce is null || tag is null)
        {
            return blob;
        }
        if (_options.KeyEncryptionKey is not { } kek)
        {
            throw new TaskTokenStoreException($"signing key `{kid}` is sealed and no key encryption key is configured");
        }
        return VaultCipher.Open(kek, "task-signing-key:" + kid, nonce, blob, tag)
            ?? throw new TaskTokenStoreException($"signing key `{kid}` does not open under the configured key encryption key");
    }

    private SqliteConnection Open()
    {
        Directory.CreateDirectory(_options.DataDirectory);
        var path = _options.DatabasePath;
        SqliteFiles.CreatePrivateIfMissing(path);
        var connection = new SqliteConnection(SqliteFiles.ConnectionString(path, readOnly: false, _options.BusyTimeout));
        try
        {
            connection.Open();
            SqliteFiles.SetBusyTimeout(connection, _options.BusyTimeout);
            TaskTokenSchema.Ensure(connection);
            SqliteFiles.Exec(connection, "PRAGMA synchronous = FULL;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private List<TaskSigningKeyRecord> ReadKeys(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT kid, alg, private_key, nonce, tag, created, retired FROM tt_signing_keys ORDER BY created;";
        using var r = cmd.ExecuteReader();
        var keys = new List<TaskSigningKeyRecord>();
        while (r.Read())
        {
            var kid = r.GetString(0);
            var pkcs8 = OpenKey(kid, r.GetFieldValue<byte[]>(2), r.IsDBNull(3) ? null : r.GetFieldValue<byte[]>(3), r.IsDBNull(4) ? null : r.GetFieldValue<byte[]>(4));
            keys.Add(new TaskSigningKeyRecord(kid, r.GetString(1), pkcs8, Time(r.GetInt64(5)), r.IsDBNull(6) ? null : Time(r.GetInt64(6))));
        }
        return keys;
    }

    private static List<TaskSessionRecord> ReadSessions(SqliteConnection connection, long nowMs)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT sid, parent_sid, agent, user_id, intent, tools, resources, depth, created, expires FROM tt_sessions WHERE expires > $now;";
        cmd.Parameters.AddWithValue("$now", nowMs);
        using var r = cmd.ExecuteReader();
        var sessions = new List<TaskSessionRecord>();
        while (r.Read())
        {
            sessions.Add(new TaskSessionRecord(r.GetString(0), NullableString(r, 1), r.GetString(2), NullableString(r, 3), r.GetString(4),
                TaskTokenStatements.List(r.GetString(5)), TaskTokenStatements.List(r.GetString(6)), r.GetInt32(7), Time(r.GetInt64(8)), Time(r.GetInt64(9))));
        }
        return sessions;
    }

    private static List<TaskTokenRecord> ReadTokens(SqliteConnection connection, long nowMs)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT jti, sid, parent_sid, parent_jti, agent, user_id, client_id, chain, depth, scopes, audiences, intent, tools, resources, issued, expires, jkt, kid, token_sha256
            FROM tt_tokens WHERE expires > $now;
            """;
        cmd.Parameters.AddWithValue("$now", nowMs);
        using var r = cmd.ExecuteReader();
        var tokens = new List<TaskTokenRecord>();
        while (r.Read())
        {
            var grant = new TaskGrant(TaskTokenStatements.List(r.GetString(9)), TaskTokenStatements.List(r.GetString(10)), r.GetString(11),
                TaskTokenStatements.List(r.GetString(12)), TaskTokenStatements.List(r.GetString(13)));
            tokens.Add(new TaskTokenRecord(r.GetString(0), r.GetString(1), NullableString(r, 2), NullableString(r, 3), r.GetString(4), NullableString(r, 5),
                r.GetString(6), TaskTokenStatements.List(r.GetString(7)), r.GetInt32(8), grant, Time(r.GetInt64(14)), Time(r.GetInt64(15)), NullableString(r, 16), r.GetString(17), NullableString(r, 18)));
        }
        return tokens;
    }

    private static List<TaskRevocationRecord> ReadRevocations(SqliteConnection connection, long nowMs)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT kind, target, reason, revoked, keep_until FROM tt_revocations WHERE keep_until > $now ORDER BY id;";
        cmd.Parameters.AddWithValue("$now", nowMs);
        using var r = cmd.ExecuteReader();
        var revocations = new List<TaskRevocationRecord>();
        while (r.Read())
        {
            // An unknown kind is a store written by a newer version; refusing to start beats dropping a revocation.
            var kind = Enum.Parse<RevocationTargetKind>(r.GetString(0), ignoreCase: false);
            revocations.Add(new TaskRevocationRecord(new RevocationTarget(kind, r.GetString(1)), r.GetString(2), Time(r.GetInt64(3)), Time(r.GetInt64(4))));
        }
        return revocations;
    }

    private static string? NullableString(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
