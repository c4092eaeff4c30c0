using Mandate.Core.Vault;
using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Vault;

/// <summary>
/// The vault in <c>&lt;data-dir&gt;/vault.db</c> (its own file, mode 600, so audit readers never need access to it).
/// Each row holds a name, the master key's id, a nonce, the ciphertext and the GCM tag; the plaintext never touches disk.
/// Without a usable master key every operation fails with <see cref="VaultErrorCodes.NoKey"/> or
/// <see cref="VaultErrorCodes.BadKey"/>.
/// </summary>
public sealed class SqliteSecretVault : ISecretVault
{
    private const int MaxNameLength = 200;
    private readonly SqliteVaultOptions _options;
    private readonly VaultResult<byte[]> _key;
    private readonly string? _keyId;
    private volatile bool _schemaReady;

    /// <summary>Opens the vault; the master key is read once, here.</summary>
    public SqliteSecretVault(SqliteVaultOptions options)
    {
        _options = options;
        _key = VaultKeySource.Load(options.KeyFile, options.KeyEnvironmentVariable);
        _keyId = _key.Ok ? VaultCipher.KeyId(_key.Value) : null;
    }

    /// <inheritdoc />
    public Task<VaultResult<bool>> SetAsync(string name, string plaintext, CancellationToken ct = default) =>
        SetAsync(name, System.Text.Encoding.UTF8.GetBytes(plaintext), ct);

    /// <inheritdoc />
    public Task<VaultResult<bool>> SetAsync(string name, ReadOnlyMemory<byte> plaintext, CancellationToken ct = default)
    {
        if (Refuse<bool>(name) is { } refused)
        {
            return Task.FromResult(refused);
        }
        var (nonce, ciphertext, tag) = VaultCipher.Seal(_key.Value, name, plaintext.Span);
        return Task.FromResult(Run(connection =>
        {
            using var tx = connection.BeginTransaction(deferred: false);
            using var exists = connection.CreateCommand();
            exists.Transaction = tx;
            exists.CommandText = "SELECT COUNT(*) FROM vault_secrets WHERE name = $name;";
            exists.Parameters.AddWithValue("$name", name);
            var created = Convert.ToInt64(exists.ExecuteScalar()) == 0;
            using var upsert = connection.CreateCommand();
            upsert.Transaction = tx;
            upsert.CommandText = """
                INSERT INTO vault_secrets (name, key_id, nonce, ciphertext, tag, updated)
                VALUES ($name, $kid, $nonce, $ct, $tag, $updated)
                ON CONFLICT(name) DO UPDATE SET key_id = $kid, nonce = $nonce, ciphertext = $ct, tag = $tag, updated = $updated;
                """;
            upsert.Parameters.AddWithValue("$name", name);
            upsert.Parameters.AddWithValue("$kid", _keyId);
            upsert.Parameters.AddWithValue("$nonce", nonce);
            upsert.Parameters.AddWithValue("$ct", ciphertext);
            upsert.Parameters.AddWithValue("$tag", tag);
            upsert.Parameters.AddWithValue("$updated", DateTimeOffset.UtcNow.ToString("O"));
            upsert.ExecuteNonQuery();
            tx.Commit();
            return VaultResult<bool>.Success(created);
        }));
    }

    /// <inheritdoc />
    public Task<VaultResult<VaultSecret>> GetAsync(string name, CancellationToken ct = default)
    {
        if (Refuse<VaultSecret>(name) is { } refused)
        {
            return Task.FromResult(refused);
        }
        return Task.FromResult(Run(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT key_id, nonce, ciphertext, tag FROM vault_secrets WHERE name = $name;";
            cmd.Parameters.AddWithValue("$name", name);
            using var reader = cmd.ExecuteReader();
            if (!reader.Read())
            {
                return VaultResult<VaultSecret>.Failure(VaultErrorCodes.NotFound, $"no secret named `{name}`");
            }
            if (reader.GetString(0) != _keyId)
            {
                return VaultResult<VaultSecret>.Failure(VaultErrorCodes.WrongKey, $"secret `{name}` was written under another master key");
            }
            var plaintext = VaultCipher.Open(_key.Value, name, reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<byte[]>(3));
            return plaintext is null
                ? VaultResult<VaultSecret>.Failure(VaultErrorCodes.DecryptFailed, $"secret `{name}` does not authenticate; it was altered or moved")
                : VaultResult<VaultSecret>.Success(new VaultSecret(name, plaintext));
        }));
    }

    /// <inheritdoc />
    public Task<VaultResult<IReadOnlyList<string>>> ListAsync(CancellationToken ct = default)
    {
        if (_key.Error is { } keyError)
        {
            return Task.FromResult(VaultResult<IReadOnlyList<string>>.Failure(keyError));
        }
        return Task.FromResult(Run(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT name FROM vault_secrets ORDER BY name;";
            using var reader = cmd.ExecuteReader();
            var names = new List<string>();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
            return VaultResult<IReadOnlyList<string>>.Success(names);
        }));
    }

    /// <inheritdoc />
    public Task<VaultResult<bool>> DeleteAsync(string name, CancellationToken ct = default)
    {
        if (Refuse<bool>(name) is { } refused)
        {
            return Task.FromResult(refused);
        }
        return Task.FromResult(Run(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "DELETE FROM vault_secrets WHERE name = $name;";
            cmd.Parameters.AddWithValue("$name", name);
            return VaultResult<bool>.Success(cmd.ExecuteNonQuery() > 0);
        }));
    }

    /// <summary>True when <paramref name="name"/> is 1..200 characters of <c>[A-Za-z0-9._/-]</c>.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxNameLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/');

    private VaultResult<T>? Refuse<T>(string name)
    {
        if (_key.Error is { } keyError)
        {
            return VaultResult<T>.Failure(keyError);
        }
        return IsValidName(name)
            ? null
            : VaultResult<T>.Failure(VaultErrorCodes.InvalidName, "a secret name is 1-200 characters of letters, digits, `.`, `_`, `-`, `/`");
    }

    private VaultResult<T> Run<T>(Func<SqliteConnection, VaultResult<T>> work)
    {
        try
        {
            using var connection = Open();
            return work(connection);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or InvalidCastException)
        {
            return VaultResult<T>.Failure(VaultErrorCodes.Unavailable, $"the vault store cannot be used: {ex.Message}");
        }
    }

    private SqliteConnection Open()
    {
        Directory.CreateDirectory(_options.DataDirectory);
        var path = _options.DatabasePath;
        SqliteFiles.CreatePrivateIfMissing(path);
        var connection = SqliteFiles.OpenDurable(path, _options.BusyTimeout);
        try
        {
            if (!_schemaReady)
            {
                // Once per instance: secrets are read on the request path, where re-running DDL would only cost time.
                SqliteFiles.Exec(connection, """
                    PRAGMA journal_mode = WAL;
                    CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
                    INSERT OR IGNORE INTO schema_version (component, version) VALUES ('vault', 1);
                    CREATE TABLE IF NOT EXISTS vault_secrets (
                        name       TEXT PRIMARY KEY,
                        key_id     TEXT NOT NULL,
                        nonce      BLOB NOT NULL,
                        ciphertext BLOB NOT NULL,
                        tag        BLOB NOT NULL,
                        updated    TEXT NOT NULL
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
