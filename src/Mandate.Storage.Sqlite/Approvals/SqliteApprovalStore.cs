using System.Text.Json;
using System.Text.Json.Serialization;
using Mandate.Core.Approvals;
using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Approvals;

/// <summary>
/// Approval requests in <c>&lt;data-dir&gt;/approvals.db</c> (own file, mode 600, WAL, <c>synchronous = FULL</c>: a
/// decided or consumed approval is on disk before the change counts). One row per request, its state as JSON.
/// </summary>
public sealed class SqliteApprovalStore : IApprovalStore, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private readonly string _directory;
    private readonly TimeSpan _busyTimeout;
    private readonly SharedConnection _connection;

    /// <summary>Creates the store over <c>approvals.db</c> in <paramref name="dataDirectory"/>; the file is created on first use.</summary>
    public SqliteApprovalStore(string dataDirectory, TimeSpan? busyTimeout = null)
    {
        _directory = dataDirectory;
        _busyTimeout = busyTimeout ?? TimeSpan.FromSeconds(2);
        _connection = new SharedConnection(Open);
    }

    /// <summary>Path of the database file.</summary>
    public string DatabasePath => Path.Combine(_directory, "approvals.db");

    /// <inheritdoc />
    public Task<IReadOnlyList<ApprovalRequest>> LoadAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        _connection.UseAsync<IReadOnlyList<ApprovalRequest>>(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT state FROM approvals WHERE created_at >= $since ORDER BY created_at, id;";
            cmd.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
            using var reader = cmd.ExecuteReader();
            var list = new List<ApprovalRequest>();
            while (reader.Read())
            {
                list.Add(JsonSerializer.Deserialize<ApprovalRequest>(reader.GetString(0), Json)!);
            }

            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public Task SaveAsync(ApprovalRequest request, CancellationToken cancellationToken = default) =>
        _connection.UseAsync(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                INSERT INTO approvals (id, created_at, state) VALUES ($id, $at, $state)
                ON CONFLICT(id) DO UPDATE SET state = $state;
                """;
            cmd.Parameters.AddWithValue("$id", request.Id);
            cmd.Parameters.AddWithValue("$at", request.CreatedAt.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$state", JsonSerializer.Serialize(request, Json));
            cmd.ExecuteNonQuery();
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private SqliteConnection Open()
    {
        Directory.CreateDirectory(_directory);
        SqliteFiles.CreatePrivateIfMissing(DatabasePath);
        var connection = SqliteFiles.OpenDurable(DatabasePath, _busyTimeout);
        try
        {
            SqliteFiles.Exec(connection, "PRAGMA journal_mode = WAL;");
            SqliteFiles.Exec(connection, "CREATE TABLE IF NOT EXISTS approvals (id TEXT PRIMARY KEY NOT NULL, created_at INTEGER NOT NULL, state TEXT NOT NULL);");
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return connection;
    }
}
