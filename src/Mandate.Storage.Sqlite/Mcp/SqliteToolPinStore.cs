using System.Globalization;
using Mandate.Core.Mcp;
using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Mcp;

/// <summary>
/// Tool pins in <c>&lt;data-dir&gt;/mcp-pins.db</c> (own file, mode 600 from its first byte, WAL so the CLI can read
/// while the server writes). One row per (server, tool). Every failure is returned as
/// <see cref="ToolPinStoreError.Unavailable"/>, which <see cref="ToolPinCheck"/> turns into "do not use the tool".
/// </summary>
public sealed class SqliteToolPinStore : IToolPinStore
{
    private const int MaxNameLength = 256;
    private readonly SqliteToolPinStoreOptions _options;
    private volatile bool _schemaReady;

    /// <summary>Creates the store; the file is created on first use.</summary>
    public SqliteToolPinStore(SqliteToolPinStoreOptions options)
    {
        _options = options;
    }

    /// <inheritdoc />
    public Task<ToolPinStoreResult<ToolPin?>> GetAsync(string server, string tool, CancellationToken ct = default)
    {
        if (Refuse<ToolPin?>(server, tool) is { } refused)
        {
            return Task.FromResult(refused);
        }
        return Task.FromResult(Run(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT hash, accepted_by, accepted_at FROM tool_pins WHERE server = $server AND tool = $tool;";
            cmd.Parameters.AddWithValue("$server", server);
            cmd.Parameters.AddWithValue("$tool", tool);
            using var reader = cmd.ExecuteReader();
            return ToolPinStoreResult<ToolPin?>.Success(reader.Read() ? Read(server, tool, reader, 0) : null);
        }));
    }

    /// <inheritdoc />
    public Task<ToolPinStoreResult<bool>> AddAsync(string server, string tool, string hash, string acceptedBy, DateTimeOffset at, CancellationToken ct = default) =>
        Write(server, tool, hash, acceptedBy, at, """
            INSERT INTO tool_pins (server, tool, hash, accepted_by, accepted_at) VALUES ($server, $tool, $hash, $by, $at)
            ON CONFLICT(server, tool) DO NOTHING;
            """);

    /// <inheritdoc />
    public Task<ToolPinStoreResult<bool>> PutAsync(string server, string tool, string hash, string acceptedBy, DateTimeOffset at, CancellationToken ct = default) =>
        Write(server, tool, hash, acceptedBy, at, """
            INSERT INTO tool_pins (server, tool, hash, accepted_by, accepted_at) VALUES ($server, $tool, $hash, $by, $at)
            ON CONFLICT(server, tool) DO UPDATE SET hash = $hash, accepted_by = $by, accepted_at = $at;
            """);

    /// <inheritdoc />
    public Task<ToolPinStoreResult<IReadOnlyList<ToolPin>>> ListAsync(string server, CancellationToken ct = default)
    {
        if (Refuse<IReadOnlyList<ToolPin>>(server, "x") is { } refused)
        {
            return Task.FromResult(refused);
        }
        return Task.FromResult(Run(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT tool, hash, accepted_by, accepted_at FROM tool_pins WHERE server = $server ORDER BY tool;";
            cmd.Parameters.AddWithValue("$server", server);
            using var reader = cmd.ExecuteReader();
            var pins = new List<ToolPin>();
            while (reader.Read())
            {
                pins.Add(Read(server, reader.GetString(0), reader, 1));
            }
            return ToolPinStoreResult<IReadOnlyList<ToolPin>>.Success(pins);
        }));
    }

    private Task<ToolPinStoreResult<bool>> Write(string server, string tool, string hash, string acceptedBy, DateTimeOffset at, string sql)
    {
        if (Refuse<bool>(server, tool) is { } refused)
        {
            return Task.FromResult(refused);
        }
        return Task.FromResult(Run(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            cmd.Parameters.AddWithValue("$server", server);
            cmd.Parameters.AddWithValue("$tool", tool);
            cmd.Parameters.AddWithValue("$hash", hash);
            cmd.Parameters.AddWithValue("$by", acceptedBy);
            cmd.Parameters.AddWithValue("$at", at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            return ToolPinStoreResult<bool>.Success(cmd.ExecuteNonQuery() > 0);
        }));
    }

    private static ToolPin Read(string server, string tool, SqliteDataReader reader, int first) =>
        new(server, tool, reader.GetString(first), reader.GetString(first + 1),
            DateTimeOffset.Parse(reader.GetString(first + 2), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));

    private static ToolPinStoreResult<T>? Refuse<T>(string server, string tool) =>
        server.Length is > 0 and <= MaxNameLength && tool.Length is > 0 and <= MaxNameLength
            ? null
            : ToolPinStoreResult<T>.Failure(ToolPinStoreError.InvalidName, $"server and tool names are 1-{MaxNameLength} characters");

    private ToolPinStoreResult<T> Run<T>(Func<SqliteConnection, ToolPinStoreResult<T>> work)
    {
        try
        {
            using var connection = Open();
            return work(connection);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or InvalidCastException or FormatException)
        {
            return ToolPinStoreResult<T>.Failure(ToolPinStoreError.Unavailable, $"the tool pin store cannot be used: {ex.Message}");
        }
    }

    private SqliteConnection Open()
    {
        var path = _options.DatabasePath;
        if (_schemaReady && !SqliteFiles.IsFile(path))
        {
            // Recreating it would silently re-trust every tool on first use: the pins are gone, say so.
            throw new IOException($"`{path}` is gone; refusing to start over with no pins");
        }
        Directory.CreateDirectory(_options.DataDirectory);
        SqliteFiles.CreatePrivateIfMissing(path);
        var connection = SqliteFiles.OpenDurable(path, _options.BusyTimeout);
        try
        {
            if (!_schemaReady)
            {
                SqliteFiles.Exec(connection, """
                    PRAGMA journal_mode = WAL;
                    CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
                    INSERT OR IGNORE INTO schema_version (component, version) VALUES ('mcp-pins', 1);
                    CREATE TABLE IF NOT EXISTS tool_pins (
                        server      TEXT NOT NULL,
                        tool        TEXT NOT NULL,
                        hash        TEXT NOT NULL,
                        accepted_by TEXT NOT NULL,
                        accepted_at TEXT NOT NULL,
                        PRIMARY KEY (server, tool)
                    );
                    """);
                _schemaReady = true;
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
