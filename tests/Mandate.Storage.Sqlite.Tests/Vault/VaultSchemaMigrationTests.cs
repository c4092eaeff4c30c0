using System.Security.Cryptography;
using Mandate.Core.Vault;
using Mandate.Storage.Sqlite.Vault;
using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Tests.Vault;

/// <summary>A version 1 <c>vault.db</c> (its DDL as released, rows sealed as version 1 sealed them) upgraded in place.</summary>
public sealed class VaultSchemaMigrationTests : IDisposable
{
    // The version 1 schema, exactly as SqliteSecretVault ran it before versions existed.
    private const string Version1Ddl = """
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
        """;

    private readonly TempDirectory _dir = new();
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public VaultSchemaMigrationTests() => File.WriteAllText(_dir.File("vault.key"), Convert.ToBase64String(_key));

    public void Dispose() => _dir.Dispose();

    private SqliteVaultOptions Options => new() { DataDirectory = _dir.Path, KeyFile = _dir.File("vault.key") };

    private SqliteConnection Raw()
    {
        var connection = new SqliteConnection($"Data Source={_dir.File("vault.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private void WriteVersion1File(params (string Name, string Value)[] secrets)
    {
        using var connection = Raw();
        using (var ddl = connection.CreateCommand())
        {
            ddl.CommandText = Version1Ddl;
            ddl.ExecuteNonQuery();
        }
        foreach (var (name, value) in secrets)
        {
            var (nonce, ciphertext, tag) = VaultCipher.Seal(_key, name, System.Text.Encoding.UTF8.GetBytes(value));
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO vault_secrets (name, key_id, nonce, ciphertext, tag, updated) VALUES ($n, $k, $nonce, $c, $t, $u);";
            insert.Parameters.AddWithValue("$n", name);
            insert.Parameters.AddWithValue("$k", VaultCipher.KeyId(_key));
            insert.Parameters.AddWithValue("$nonce", nonce);
            insert.Parameters.AddWithValue("$c", ciphertext);
            insert.Parameters.AddWithValue("$t", tag);
            insert.Parameters.AddWithValue("$u", DateTimeOffset.UtcNow.ToString("O"));
            insert.ExecuteNonQuery();
        }
    }

    [Fact]
    public async Task Open_Version1File_UpgradesInPlaceKeepingSecretsAndGivingThemVersions()
    {
        WriteVersion1File(("crm/api-key", "crm-secret"), ("billing", "billing-secret"));
        var vault = new SqliteSecretVault(Options);

        var marker = await vault.GetChangeMarkerAsync();
        using var crm = (await vault.GetAsync("crm/api-key")).Value!;
        using var billing = (await vault.GetAsync("billing")).Value!;

        Assert.True(marker.Ok, marker.Error?.Message);
        Assert.Equal("crm-secret", crm.Reveal());
        Assert.Equal("billing-secret", billing.Reveal());
        Assert.True(crm.Version > 0 && billing.Version > 0);
        Assert.NotEqual(crm.Version, billing.Version);
        // The counter starts above every version already given out, so the next write is newer than all of them.
        Assert.True(marker.Value.Generation >= Math.Max(crm.Version, billing.Version));
        using (var raw = Raw())
        {
            Assert.Equal(2L, Scalar(raw, "SELECT version FROM schema_version WHERE component = 'vault';"));
            Assert.Equal(1L, Scalar(raw, "SELECT COUNT(*) FROM vault_generation;"));
        }

        await vault.SetAsync("crm/api-key", "crm-rotated");
        using var rotated = (await vault.GetAsync("crm/api-key")).Value!;
        var after = await vault.GetChangeMarkerAsync();

        Assert.Equal("crm-rotated", rotated.Reveal());
        Assert.True(rotated.Version > Math.Max(crm.Version, billing.Version));
        Assert.Equal(marker.Value.Store, after.Value.Store);
        Assert.Equal(rotated.Version, after.Value.Generation);
    }

    [Fact]
    public async Task Open_Version1FileByTwoProcessesAtOnce_UpgradesOnce()
    {
        WriteVersion1File(("legacy", "legacy-secret"));

        // Two instances stand for two processes: each opens its own connections and checks the schema itself.
        var markers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => new SqliteSecretVault(Options).GetChangeMarkerAsync())));

        Assert.All(markers, m => Assert.True(m.Ok, m.Error?.Message));
        Assert.Equal(markers[0].Value, markers[1].Value);
        using var raw = Raw();
        Assert.Equal(1L, Scalar(raw, "SELECT COUNT(*) FROM vault_generation;"));
    }

    [Fact]
    public async Task Open_Version1FileWithoutSecretsTable_IsUpgraded()
    {
        // Version 1 wrote its version row and created its table in two statements outside a transaction.
        using (var connection = Raw())
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
                INSERT INTO schema_version (component, version) VALUES ('vault', 1);
                """;
            cmd.ExecuteNonQuery();
        }
        var vault = new SqliteSecretVault(Options);

        var set = await vault.SetAsync("legacy", "x");

        Assert.True(set.Ok, set.Error?.Message);
        Assert.Equal("x", (await vault.GetAsync("legacy")).Value!.Reveal());
    }

    [Fact]
    public async Task Open_NewerSchema_FailsUnavailableWithoutTouchingIt()
    {
        using (var connection = Raw())
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
                INSERT INTO schema_version (component, version) VALUES ('vault', 99);
                """;
            cmd.ExecuteNonQuery();
        }

        var got = await new SqliteSecretVault(Options).GetAsync("legacy");

        Assert.Equal(VaultErrorCodes.Unavailable, got.Error?.Code);
        Assert.Contains("schema version 99", got.Error!.Message);
        using var raw = Raw();
        Assert.Equal(0L, Scalar(raw, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'vault_secrets';"));
    }
}
