using Mandate.Core.Sessions;
using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Sessions;

/// <summary>
/// Session state in <c>&lt;data-dir&gt;/sessions.db</c> (own file, mode 600, WAL): per session its allowed calls,
/// writes and tools, per delegation tree its labels. A call is one transaction of increments and inserts, so
/// concurrent calls never overwrite each other. <c>synchronous = NORMAL</c>: a committed call survives a crash of the
/// process (the WAL is written before the commit returns), not a power cut; the audit record of every allowed call is
/// fsynced separately.
/// </summary>
public sealed class SqliteSessionStore : ISessionStore, IAsyncDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS sessions (
            id TEXT PRIMARY KEY NOT NULL,
            root_id TEXT NOT NULL,
            calls INTEGER NOT NULL,
            writes INTEGER NOT NULL,
            last_call INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS session_tools (
            session_id TEXT NOT NULL,
            tool TEXT NOT NULL,
            PRIMARY KEY (session_id, tool));
        CREATE TABLE IF NOT EXISTS tree_labels (
            root_id TEXT NOT NULL,
            label TEXT NOT NULL,
            PRIMARY KEY (root_id, label));
        """;

    private readonly SqliteSessionStoreOptions _options;
    private readonly SharedConnection _connection;

    /// <summary>Creates the store; the file is created on first use.</summary>
    public SqliteSessionStore(SqliteSessionStoreOptions options)
    {
        _options = options;
        _connection = new SharedConnection(Open);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredSession>> LoadAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        _connection.UseAsync<IReadOnlyList<StoredSession>>(connection =>
        {
            var labels = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "SELECT root_id, label FROM tree_labels ORDER BY root_id, label;";
                using var reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    (labels.TryGetValue(reader.GetString(0), out var list) ? list : labels[reader.GetString(0)] = []).Add(reader.GetString(1));
                }
            }

            var tools = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "SELECT session_id, tool FROM session_tools ORDER BY session_id, tool;";
                using var reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    (tools.TryGetValue(reader.GetString(0), out var list) ? list : tools[reader.GetString(0)] = []).Add(reader.GetString(1));
                }
            }

            var sessions = new List<StoredSession>();
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "SELECT id, root_id, calls, writes FROM sessions WHERE last_call >= $since ORDER BY id;";
                cmd.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
                using var reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    var id = reader.GetString(0);
                    var root = reader.GetString(1);
                    sessions.Add(new StoredSession(id, root, reader.GetInt64(2), reader.GetInt64(3),
                        tools.GetValueOrDefault(id) ?? [], labels.GetValueOrDefault(root) ?? []));
                }
            }

            return sessions;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task AddCallAsync(SessionCall call, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var sid = call.SessionId ?? throw new ArgumentException("a call without a session has nothing to store", nameof(call));
        var root = call.RootSessionId ?? sid;
        await _connection.UseAsync(connection =>
        {
            using var transaction = connection.BeginTransaction();
            using (var cmd = connection.CreateCommand())
            {
                cmd.Transaction = transaction;
                cmd.CommandText = """
                    INSERT INTO sessions (id, root_id, calls, writes, last_call) VALUES ($id, $root, 1, $write, $at)
                    ON CONFLICT(id) DO UPDATE SET calls = calls + 1, writes = writes + $write, last_call = $at;
                    INSERT INTO session_tools (session_id, tool) VALUES ($id, $tool) ON CONFLICT DO NOTHING;
                    """;
                cmd.Parameters.AddWithValue("$id", sid);
                cmd.Parameters.AddWithValue("$root", root);
                cmd.Parameters.AddWithValue("$write", call.Write ? 1 : 0);
                cmd.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
                cmd.Parameters.AddWithValue("$tool", call.Tool);
                cmd.ExecuteNonQuery();
            }

            foreach (var label in call.Labels)
            {
                using var cmd = connection.CreateCommand();
                cmd.Transaction = transaction;
                cmd.CommandText = "INSERT INTO tree_labels (root_id, label) VALUES ($root, $label) ON CONFLICT DO NOTHING;";
                cmd.Parameters.AddWithValue("$root", root);
                cmd.Parameters.AddWithValue("$label", label);
                cmd.ExecuteNonQuery();
            }

            transaction.Commit();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private SqliteConnection Open()
    {
        Directory.CreateDirectory(_options.DataDirectory);
        SqliteFiles.CreatePrivateIfMissing(_options.DatabasePath);
        var connection = new SqliteConnection(SqliteFiles.ConnectionString(_options.DatabasePath, readOnly: false, _options.BusyTimeout));
        try
        {
            connection.Open();
            SqliteFiles.SetBusyTimeout(connection, _options.BusyTimeout);
            SqliteFiles.Exec(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
            SqliteFiles.Exec(connection, Schema);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return connection;
    }
}
