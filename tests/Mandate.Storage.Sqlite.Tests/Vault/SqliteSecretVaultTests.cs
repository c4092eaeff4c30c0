using System.Security.Cryptography;
using System.Text;
using Mandate.Core.Vault;
using Mandate.Storage.Sqlite.Vault;
using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Tests.Vault;

public sealed class SqliteSecretVaultTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private SqliteVaultOptions Options(string keyFileName = "vault.key")
    {
        var keyFile = _dir.File(keyFileName);
        if (!File.Exists(keyFile))
        {
            File.WriteAllText(keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }
        return new SqliteVaultOptions { DataDirectory = _dir.Path, KeyFile = keyFile };
    }

    private void Exec(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_dir.File("vault.db")};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public async Task GetAsync_AfterSet_ReturnsTheSameValue()
    {
        var vault = new SqliteSecretVault(Options());

        var set = await vault.SetAsync("stripe/api-key", "sk_live_ünïcode");
        var replaced = await vault.SetAsync("stripe/api-key", "sk_live_second");
        var got = await vault.GetAsync("stripe/api-key");

        Assert.True(set.Ok && set.Value);
        Assert.True(replaced.Ok && !replaced.Value);
        Assert.True(got.Ok, got.Error?.Message);
        using var secret = got.Value!;
        Assert.Equal("sk_live_second", secret.Reveal());
    }

    [Fact]
    public async Task SetAsync_Stored_HoldsNoPlaintextOnDisk()
    {
        var vault = new SqliteSecretVault(Options());
        await vault.SetAsync("legacy", "PLAINTEXT-MARKER-123");

        var bytes = Directory.GetFiles(_dir.Path, "vault.db*").SelectMany(File.ReadAllBytes).ToArray();

        Assert.DoesNotContain("PLAINTEXT-MARKER-123", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_OtherMasterKey_FailsWithWrongKey()
    {
        await new SqliteSecretVault(Options()).SetAsync("legacy", "secret");
        var other = new SqliteSecretVault(Options("other.key"));

        var got = await other.GetAsync("legacy");

        Assert.Equal(VaultErrorCodes.WrongKey, got.Error?.Code);
        Assert.Null(got.Value);
    }

    [Fact]
    public async Task GetAsync_OtherMasterKeyWithForgedKeyId_FailsToDecrypt()
    {
        var options = Options();
        await new SqliteSecretVault(options).SetAsync("legacy", "secret");
        var other = new SqliteSecretVault(Options("other.key"));
        var otherKeyId = VaultCipher.KeyId(Convert.FromBase64String(File.ReadAllText(_dir.File("other.key"))));
        Exec($"UPDATE vault_secrets SET key_id = '{otherKeyId}';");

        var got = await other.GetAsync("legacy");

        Assert.Equal(VaultErrorCodes.DecryptFailed, got.Error?.Code);
    }

    [Fact]
    public async Task GetAsync_CiphertextTampered_FailsToDecrypt()
    {
        var vault = new SqliteSecretVault(Options());
        await vault.SetAsync("legacy", "secret-value");
        using (var connection = new SqliteConnection($"Data Source={_dir.File("vault.db")};Pooling=False"))
        {
            connection.Open();
            using var read = connection.CreateCommand();
            read.CommandText = "SELECT ciphertext FROM vault_secrets WHERE name = 'legacy';";
            var ciphertext = (byte[])read.ExecuteScalar()!;
            ciphertext[3] ^= 0x01;
            using var write = connection.CreateCommand();
            write.CommandText = "UPDATE vault_secrets SET ciphertext = $c WHERE name = 'legacy';";
            write.Parameters.AddWithValue("$c", ciphertext);
            write.ExecuteNonQuery();
        }

        var got = await vault.GetAsync("legacy");

        Assert.Equal(VaultErrorCodes.DecryptFailed, got.Error?.Code);
    }

    [Fact]
    public async Task GetAsync_CiphertextMovedToAnotherName_FailsToDecrypt()
    {
        var vault = new SqliteSecretVault(Options());
        await vault.SetAsync("admin-api", "admin-secret");
        await vault.SetAsync("public-api", "public-secret");
        Exec("""
            UPDATE vault_secrets SET
              nonce = (SELECT nonce FROM vault_secrets WHERE name = 'admin-api'),
              ciphertext = (SELECT ciphertext FROM vault_secrets WHERE name = 'admin-api'),
              tag = (SELECT tag FROM vault_secrets WHERE name = 'admin-api')
            WHERE name = 'public-api';
            """);

        var got = await vault.GetAsync("public-api");

        Assert.Equal(VaultErrorCodes.DecryptFailed, got.Error?.Code);
    }

    [Fact]
    public async Task SetAsync_SameValueTwice_UsesFreshNonces()
    {
        var vault = new SqliteSecretVault(Options());
        await vault.SetAsync("a", "same");
        await vault.SetAsync("b", "same");
        using var connection = new SqliteConnection($"Data Source={_dir.File("vault.db")};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(DISTINCT nonce), COUNT(DISTINCT ciphertext) FROM vault_secrets;";
        using var reader = cmd.ExecuteReader();
        reader.Read();

        Assert.Equal(2, reader.GetInt32(0));
        Assert.Equal(2, reader.GetInt32(1));
    }

    [Fact]
    public async Task ToString_Secret_DoesNotRevealValue()
    {
        var vault = new SqliteSecretVault(Options());
        await vault.SetAsync("legacy", "hunter2");

        var got = await vault.GetAsync("legacy");

        Assert.Equal("***", got.Value!.ToString());
        Assert.DoesNotContain("hunter2", $"{got.Value}", StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", got.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAndDelete_Names_AreSortedAndRemoved()
    {
        var vault = new SqliteSecretVault(Options());
        await vault.SetAsync("b", "2");
        await vault.SetAsync("a", "1");

        var before = await vault.ListAsync();
        var deleted = await vault.DeleteAsync("a");
        var deletedAgain = await vault.DeleteAsync("a");
        var after = await vault.ListAsync();
        var gone = await vault.GetAsync("a");

        Assert.Equal(["a", "b"], before.Value!);
        Assert.True(deleted.Value);
        Assert.False(deletedAgain.Value);
        Assert.Equal(["b"], after.Value!);
        Assert.Equal(VaultErrorCodes.NotFound, gone.Error?.Code);
    }

    [Fact]
    public async Task SetAsync_NoKeyConfigured_FailsWithNoKeyAndWritesNothing()
    {
        var vault = new SqliteSecretVault(new SqliteVaultOptions { DataDirectory = _dir.Path, KeyEnvironmentVariable = "MANDATE_TEST_UNSET_" + Guid.NewGuid().ToString("N") });

        var set = await vault.SetAsync("legacy", "secret");
        var list = await vault.ListAsync();

        Assert.Equal(VaultErrorCodes.NoKey, set.Error?.Code);
        Assert.Equal(VaultErrorCodes.NoKey, list.Error?.Code);
        Assert.False(File.Exists(_dir.File("vault.db")));
    }

    [Fact]
    public async Task SetAsync_KeyFromEnvironment_RoundTrips()
    {
        var variable = "MANDATE_TEST_VAULT_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        try
        {
            var vault = new SqliteSecretVault(new SqliteVaultOptions { DataDirectory = _dir.Path, KeyEnvironmentVariable = variable });

            await vault.SetAsync("legacy", "from-env");
            var got = await vault.GetAsync("legacy");

            Assert.Equal("from-env", got.Value!.Reveal());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task GetAsync_KeyFileNotBase64Of32Bytes_FailsWithBadKey()
    {
        File.WriteAllText(_dir.File("short.key"), Convert.ToBase64String(new byte[16]));
        var vault = new SqliteSecretVault(new SqliteVaultOptions { DataDirectory = _dir.Path, KeyFile = _dir.File("short.key") });

        var got = await vault.GetAsync("legacy");

        Assert.Equal(VaultErrorCodes.BadKey, got.Error?.Code);
    }

    [Fact]
    public async Task SetAsync_InvalidName_FailsWithInvalidName()
    {
        var vault = new SqliteSecretVault(Options());

        var set = await vault.SetAsync("bad name;", "x");

        Assert.Equal(VaultErrorCodes.InvalidName, set.Error?.Code);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task SetAsync_NewStore_IsOwnerOnly()
    {
        await new SqliteSecretVault(Options()).SetAsync("legacy", "x");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File("vault.db")));
    }

    [Fact]
    public async Task GetChangeMarkerAsync_SetOrDeleteByAnotherInstance_Moves()
    {
        var gateway = new SqliteSecretVault(Options());
        var cli = new SqliteSecretVault(Options());
        await cli.SetAsync("legacy", "first");
        var before = (await gateway.GetChangeMarkerAsync()).Value;
        using var first = (await gateway.GetAsync("legacy")).Value!;

        await cli.SetAsync("legacy", "first");
        var afterSet = (await gateway.GetChangeMarkerAsync()).Value;
        using var second = (await gateway.GetAsync("legacy")).Value!;
        await cli.DeleteAsync("legacy");
        var afterDelete = (await gateway.GetChangeMarkerAsync()).Value;

        // The same text set again is a new version: a holder cannot tell a rotation to an equal value from none.
        Assert.NotEqual(before, afterSet);
        Assert.True(second.Version > first.Version);
        Assert.Equal(second.Version, afterSet.Generation);
        Assert.NotEqual(afterSet, afterDelete);
    }

    [Fact]
    public async Task GetChangeMarkerAsync_ReadsAndMissedDeletes_DoNotMoveIt()
    {
        var vault = new SqliteSecretVault(Options());
        await vault.SetAsync("legacy", "x");
        var before = await vault.GetChangeMarkerAsync();

        await vault.GetAsync("legacy");
        await vault.ListAsync();
        await vault.DeleteAsync("absent");
        var after = await vault.GetChangeMarkerAsync();

        Assert.True(before.Ok && after.Ok);
        Assert.Equal(before.Value, after.Value);
    }

    [Fact]
    public async Task GetChangeMarkerAsync_StoreDeletedAndMadeAgain_DiffersEvenAtTheSameCount()
    {
        var vault = new SqliteSecretVault(Options());
        await vault.SetAsync("legacy", "x");
        var before = (await vault.GetChangeMarkerAsync()).Value;
        foreach (var file in Directory.GetFiles(_dir.Path, "vault.db*"))
        {
            File.Delete(file);
        }

        var fresh = new SqliteSecretVault(Options());
        await fresh.SetAsync("legacy", "y");
        var after = (await vault.GetChangeMarkerAsync()).Value;

        Assert.Equal(before.Generation, after.Generation);
        Assert.NotEqual(before.Store, after.Store);
    }

    [Fact]
    public async Task GetChangeMarkerAsync_NoKey_FailsWithNoKey()
    {
        var vault = new SqliteSecretVault(new SqliteVaultOptions { DataDirectory = _dir.Path, KeyEnvironmentVariable = "MANDATE_TEST_UNSET_" + Guid.NewGuid().ToString("N") });

        var marker = await vault.GetChangeMarkerAsync();

        Assert.Equal(VaultErrorCodes.NoKey, marker.Error?.Code);
    }
}
