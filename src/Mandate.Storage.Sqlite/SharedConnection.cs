using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite;

/// <summary>
/// One connection to one database file, used by one caller at a time: opened on first use by the store's own setup
/// (file mode, pragmas, schema), and dropped after any SQLite error so that the next use opens afresh instead of
/// reusing a connection in an unknown state.
/// </summary>
internal sealed class SharedConnection : IAsyncDisposable
{
    private readonly Func<SqliteConnection> _open;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _connection;

    /// <summary>Creates it; <paramref name="open"/> returns an open, set-up connection or throws (disposing what it opened).</summary>
    public SharedConnection(Func<SqliteConnection> open) => _open = open;

    /// <summary>Runs <paramref name="work"/> on the connection, alone.</summary>
    public async Task<T> UseAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return work(_connection ??= _open());
        }
        catch (SqliteException)
        {
            _connection?.Dispose();
            _connection = null;
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> on the connection, alone.</summary>
    public Task UseAsync(Action<SqliteConnection> work, CancellationToken cancellationToken) =>
        UseAsync(connection =>
        {
            work(connection);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _gate.Release();
        }
    }
}
