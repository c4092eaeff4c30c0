using System.Security.Cryptography;
using Mandate.Storage.Sqlite.Vault;

namespace Mandate.Storage.Sqlite.Tests.Cli;

public sealed class VaultCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _keyFile;

    public VaultCommandTests()
    {
        _keyFile = _dir.File("vault.key");
        File.WriteAllText(_keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Set_WithValue_StoresWithoutEchoingIt()
    {
        var run = await CliRun.RunAsync("vault", "set", "crm/api-key", "--value", "sk-ECHO-CHECK", "--data-dir", _dir.Path, "--key-file", _keyFile);

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("sk-ECHO-CHECK", run.Output + run.Error, StringComparison.Ordinal);
        var got = await new SqliteSecretVault(new SqliteVaultOptions { DataDirectory = _dir.Path, KeyFile = _keyFile }).GetAsync("crm/api-key");
        Assert.Equal("sk-ECHO-CHECK", got.Value!.Reveal());
    }

    [Fact]
    public async Task ListAndDelete_AfterSets_ShowNamesThenRemove()
    {
        await CliRun.RunAsync("vault", "set", "b", "--value", "2", "--data-dir", _dir.Path, "--key-file", _keyFile);
        await CliRun.RunAsync("vault", "set", "a", "--value", "1", "--data-dir", _dir.Path, "--key-file", _keyFile);

        var list = await CliRun.RunAsync("vault", "list", "--data-dir", _dir.Path, "--key-file", _keyFile);
        var delete = await CliRun.RunAsync("vault", "delete", "a", "--data-dir", _dir.Path, "--key-file", _keyFile);
        var deleteAgain = await CliRun.RunAsync("vault", "delete", "a", "--data-dir", _dir.Path, "--key-file", _keyFile);
        var after = await CliRun.RunAsync("vault", "list", "--data-dir", _dir.Path, "--key-file", _keyFile);

        Assert.Equal(["a", "b"], list.Lines);
        Assert.Equal(0, delete.ExitCode);
        Assert.Equal(1, deleteAgain.ExitCode);
        Assert.Contains("vault.not_found", deleteAgain.Error);
        Assert.Equal(["b"], after.Lines);
    }

    [Fact]
    public async Task Set_MissingKeyFile_FailsWithoutStoring()
    {
        var run = await CliRun.RunAsync("vault", "set", "x", "--value", "v", "--data-dir", _dir.Path, "--key-file", _dir.File("absent.key"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("vault.no_key", run.Error);
        Assert.False(File.Exists(_dir.File("vault.db")));
    }

    [Fact]
    public async Task Set_FromStdinInARealProcess_StoresValueWithoutTrailingNewline()
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "mandate.dll"), "vault", "set", "piped", "--from-stdin", "--data-dir", _dir.Path, "--key-file", _keyFile })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        await process.StandardInput.WriteAsync("piped-SECRET\n");
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.DoesNotContain("piped-SECRET", output, StringComparison.Ordinal);
        var got = await new SqliteSecretVault(new SqliteVaultOptions { DataDirectory = _dir.Path, KeyFile = _keyFile }).GetAsync("piped");
        Assert.Equal("piped-SECRET", got.Value!.Reveal());
    }

    [Fact]
    public async Task Set_NeitherValueNorStdin_IsAUsageError()
    {
        var run = await CliRun.RunAsync("vault", "set", "x", "--data-dir", _dir.Path, "--key-file", _keyFile);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--from-stdin", run.Error);
    }
}
