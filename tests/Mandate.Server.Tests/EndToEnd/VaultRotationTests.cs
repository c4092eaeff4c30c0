using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mandate.Server.Tests.Support;
using Mandate.Storage.Sqlite.Vault;

namespace Mandate.Server.Tests.EndToEnd;

/// <summary>
/// A running gateway and <c>mandate vault</c> run as a separate process on the same data directory: a rotated key
/// reaches the upstream without a restart or reload, a deleted one stops forwarding, and a reload that names a new
/// secret serves it on the first request.
/// </summary>
public sealed class VaultRotationTests : IAsyncLifetime
{
    // The gateway checks the vault every 2 s (the default); this only bounds a test on a loaded machine.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly GatewayFixture _gw = new();

    public Task InitializeAsync() => _gw.InitializeAsync();

    public Task DisposeAsync() => _gw.DisposeAsync();

    /// <summary>Runs the built <c>mandate</c> CLI as its own process against the fixture's vault.</summary>
    private async Task<(int Code, string Output)> VaultCliAsync(string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mandate.dll"));
        start.ArgumentList.Add("vault");
        foreach (var arg in args.Concat(["--data-dir", Path.Combine(_gw.Directory, "data"), "--key-file", Path.Combine(_gw.Directory, "vault.key")]))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    private Task<HttpResponseMessage> LegacyAsync() => _gw.GetAsync("/legacy/1", _gw.Issuer.Mint("reader-bot"));

    [Fact]
    public async Task VaultSet_RealCliWhileServing_UpstreamReceivesTheNewKeyWithoutRestart()
    {
        using (var before = await LegacyAsync())
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }
        Assert.Equal(GatewayFiles.LegacyKey, Assert.Single(_gw.Upstream.Received).Header("X-Api-Key"));

        var set = await VaultCliAsync("rotated-legacy-key\n", "set", "legacy-key", "--from-stdin");
        Assert.True(set.Code == 0, set.Output);

        var clock = Stopwatch.StartNew();
        while (_gw.Upstream.Received[^1].Header("X-Api-Key") != "rotated-legacy-key" && clock.Elapsed < Patience)
        {
            await Task.Delay(100);
            using var response = await LegacyAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var keys = _gw.Upstream.Received.Select(r => r.Header("X-Api-Key")).ToList();
        Assert.Equal("rotated-legacy-key", keys[^1]);
        // Old key until the switch, the new one after it: never a mix, never anything else.
        var switchedAt = keys.IndexOf("rotated-legacy-key");
        Assert.All(keys[..switchedAt], k => Assert.Equal(GatewayFiles.LegacyKey, k));
        Assert.All(keys[switchedAt..], k => Assert.Equal("rotated-legacy-key", k));
    }

    [Fact]
    public async Task VaultDelete_RealCliWhileServing_NextRequestIs503AndNothingForwarded()
    {
        using (var before = await LegacyAsync())
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var delete = await VaultCliAsync(null, "delete", "legacy-key");
        Assert.True(delete.Code == 0, delete.Output);

        // Until the gateway's check sees the deletion, requests still carry the old key; the first that does not is
        // refused without reaching the upstream.
        var clock = Stopwatch.StartNew();
        HttpResponseMessage refused;
        int forwardedBefore;
        while (true)
        {
            forwardedBefore = _gw.Upstream.Received.Count;
            refused = await LegacyAsync();
            if (refused.StatusCode != HttpStatusCode.OK || clock.Elapsed > Patience)
            {
                break;
            }
            refused.Dispose();
            await Task.Delay(100);
        }

        using (refused)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal("upstream.credential_unavailable", problem.RootElement.GetProperty("code").GetString());
        }
        Assert.Equal(forwardedBefore, _gw.Upstream.Received.Count);
        for (var i = 0; i < 3; i++)
        {
            using var again = await LegacyAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, again.StatusCode);
        }
        Assert.Equal(forwardedBefore, _gw.Upstream.Received.Count);
        Assert.All(_gw.Upstream.Received, r => Assert.Equal(GatewayFiles.LegacyKey, r.Header("X-Api-Key")));
    }

    [Fact]
    public async Task Reload_ConfigNamesAnotherSecret_FirstRequestAfterReloadCarriesIt()
    {
        var vault = new SqliteSecretVault(new SqliteVaultOptions { DataDirectory = Path.Combine(_gw.Directory, "data"), KeyFile = Path.Combine(_gw.Directory, "vault.key") });
        Assert.True((await vault.SetAsync("legacy-key-2", "second-legacy-key")).Ok);
        var config = Path.Combine(_gw.Directory, "mandate.yaml");
        await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(config)).Replace("vault: legacy-key", "vault: legacy-key-2", StringComparison.Ordinal));

        using (var reload = new HttpRequestMessage(HttpMethod.Post, new Uri(_gw.ControlPlane, "/v1/reload")))
        {
            reload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFiles.AdminToken);
            using var reloaded = await _gw.Client.SendAsync(reload);
            Assert.Equal(HttpStatusCode.OK, reloaded.StatusCode);
        }
        using var response = await LegacyAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("second-legacy-key", Assert.Single(_gw.Upstream.Received).Header("X-Api-Key"));
    }
}
