using Mandate.Core.Vault;
using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Vault;

/// <summary>
/// The vault in <c>&lt;data-dir&gt;/vault.db</c> (its own file, mode 600, so audit readers never need access to it).
/// Each row holds a name, the master key's id, a nonce, the ciphertext, the GCM tag and the secret's version; the
/// plaintext never touches disk. Every set and delete raises the store's generation (see <see cref="VaultChangeMarker"/>)
/// in the same transaction.
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
            var version = VaultSchema.NextGeneration(connection, tx);
            using var upsert = connection.CreateCommand();
            upsert.Transaction = tx;
            upsert.CommandText = """
                INSERT INTO vault_secrets (name, key_id, nonce, ciphertext, tag, updated, version)
                VALUES ($name, $kid, $nonce, $ct, $tag, $updated, $version)
                ON CONFLICT(name) DO UPDATE SET key_id = $kid, nonce = $nonce, ciphertext = $ct, tag = $tag, updated = $updated, version = $version;
                """;
            upsert.Parameters.AddWithValue("$name", name);
            upsert.Parameters.AddWithValue("$kid", _keyId);
            upsert.Parameters.AddWithValue("$nonce", nonce);
            upsert.Parameters.AddWithValue("$ct", ciphertext);
            upsert.Parameters.AddWithValue("$tag", tag);
            upsert.Parameters.AddWithValue("$updated", DateTimeOffset.UtcNow.ToString("O"));
            upsert.Parameters.AddWithValue("$version", version);
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
            cmd.CommandText = "SELECT key_id, nonce, ciphertext, tag, version FROM vault_secrets WHERE name = $name;";
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
                : VaultResult<VaultSecret>.Success(new VaultSecret(name, plaintext, reader.GetInt64(4)));
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
            using var tx = connection.BeginTransaction(deferred: false);
            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "DELETE FROM vault_secrets WHERE name = $name;";
            cmd.Parameters.AddWithValue("$name", name);
            var existed = cmd.ExecuteNonQuery() > 0;
            if (existed)
            {
                // A holder of the decrypted secret must see the removal as a change.
                VaultSchema.NextGeneration(connection, tx);
            }
            tx.Commit();
            return VaultResult<bool>.Success(existed);
        }));
    }

    /// <inheritdoc />
    public Task<VaultResult<VaultChangeMarker>> GetChangeMarkerAsync(CancellationToken ct = default)
    {
        if (_key.Error is { } keyError)
        {
            return Task.FromResult(VaultResult<VaultChangeMarker>.Failure(keyError));
        }
        return Task.FromResult(Run(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT store, generation FROM vault_generation WHERE id = 1;";
            using var reader = cmd.ExecuteReader();
            return reader.Read()
                ? VaultResult<VaultChangeMarker>.Success(new VaultChangeMarker(reader.GetString(0), reader.GetInt64(1)))
                : VaultResult<VaultChangeMarker>.Failure(VaultErrorCodes.Unavailable, "vault.db has no generation row");
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
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or InvalidCastException or InvalidDataException)
        {
            // The file may have been replaced (deleted and made again): check its schema on the next open.
            _schemaReady = false;
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
                // Once per instance: secrets are read every few seconds by the gateway, where re-running DDL would only
                // cost time.
                VaultSchema.Ensure(connection);
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
