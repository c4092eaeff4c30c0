using System.Security.Cryptography;
using System.Text;
using Mandate.Core.Audit;
using Mandate.Core.Audit.Segments;
using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Audit;

// Opening the store, reading the head, closing the connection.
public sealed partial class SqliteAuditLog
{
    /// <summary>Opens the store if needed; returns a failure receipt when it cannot be used.</summary>
    private AuditReceipt? OpenError()
    {
        var path = _options.DatabasePath;
        if (_connection is not null)
        {
            if (SqliteFiles.IsFile(path))
            {
                return null;
            }
            // An open handle to a deleted or replaced file would keep "succeeding" into nowhere.
            CloseConnection();
        }
        if (_opened && !SqliteFiles.IsFile(path))
        {
            // Starting a fresh chain silently would hide the loss of the old one.
            return AuditReceipt.Failed(AuditErrorCodes.Unavailable, $"`{path}` is gone; refusing to start a new chain");
        }
        if (Directory.Exists(path))
        {
            return AuditReceipt.Failed(AuditErrorCodes.Unavailable, $"`{path}` is a directory");
        }
        SqliteConnection? connection = null;
        try
        {
            Directory.CreateDirectory(_options.DataDirectory);
            SqliteFiles.CreatePrivateIfMissing(path);
            connection = new SqliteConnection(SqliteFiles.ConnectionString(path, readOnly: false, _options.BusyTimeout));
            connection.Open();
            SqliteFiles.SetBusyTimeout(connection, _options.BusyTimeout);
            AuditSchema.Ensure(connection);
            SqliteFiles.Exec(connection, "PRAGMA synchronous = FULL;");
            // Checkpoints run on the WalCheckpointer's thread, not inside this connection's commits.
            SqliteFiles.Exec(connection, "PRAGMA wal_autocheckpoint = 0;");
            _signingKey ??= AuditSigningKey.LoadOrCreate(_options.DataDirectory);
            _statements = new AuditWriteStatements(connection);
            _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            LoadState(connection, _statements);
            _connection = connection;
            _opened = true;
            return null;
        }
        catch (Exception ex)
        {
            DisposeStatements();
            connection?.Dispose();
            return AuditReceipt.Failed(AuditErrorCodes.Unavailable, $"the audit log cannot be opened: {ex.Message}");
        }
    }

    private void LoadState(SqliteConnection connection, AuditWriteStatements statements)
    {
        Span<byte> hex = stackalloc byte[2 * AuditChainHash.Size];
        _lastSeq = statements.ReadHead(hex);
        _lastHash = Encoding.ASCII.GetString(hex);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM audit_checkpoints;";
        _lastCheckpointSeq = Convert.ToInt64(cmd.ExecuteScalar());
    }

    /// <summary>The head as the file has it now (seq, hash as hex UTF-8), and whether it differs from the head this
    /// writer last committed, i.e. another process appended: a prepared statement on the raw handle, because this
    /// runs once per batch.</summary>
    private long ReadHead(AuditWriteStatements statements, Span<byte> hashHex, out bool moved)
    {
        var seq = statements.ReadHead(hashHex);
        moved = seq != _lastSeq || !Ascii.Equals(hashHex, _lastHash);
        return seq;
    }

    private void CloseConnection()
    {
        // Statements first: a connection closed with live statements lingers as a zombie handle.
        DisposeStatements();
        _connection?.Dispose();
        _connection = null;
    }

    private void DisposeStatements()
    {
        _statements?.Dispose();
        _statements = null;
        _sha?.Dispose();
        _sha = null;
    }
}
