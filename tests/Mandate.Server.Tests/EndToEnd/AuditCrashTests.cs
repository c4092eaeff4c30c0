using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Mandate.Core.Audit;
using Mandate.Core.Audit.Segments;
using Mandate.Server.Tests.Support;
using Mandate.Storage.Sqlite.Audit;

namespace Mandate.Server.Tests.EndToEnd;

/// <summary>
/// The audit log under the failures it is built for, with <c>mandate serve</c> as a real process: killed with SIGKILL
/// under load (every call the upstream saw has its decision record in the log, the chain verifies, the index catches
/// up after restart), and a log file that cannot grow (calls refused, nothing forwarded, service back by itself).
/// </summary>
public sealed class AuditCrashTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mandate-crash-" + Guid.NewGuid().ToString("N")[..10]);
    private TestIssuer _issuer = null!;
    private RecordingUpstream _upstream = null!;

    private string DataDir => Path.Combine(_dir, "data");

    private string ConfigPath => Path.Combine(_dir, "mandate.yaml");

    public async Task InitializeAsync()
    {
        _issuer = await TestIssuer.StartAsync();
        _upstream = await RecordingUpstream.StartAsync();
        Directory.CreateDirectory(Path.Combine(_dir, "policies"));
        await File.WriteAllTextAsync(ConfigPath, GatewayFiles.Config(_issuer.Issuer, _upstream.Url));
        await File.WriteAllTextAsync(Path.Combine(_dir, "schema.cedarschema"), GatewayFiles.Schema);
        await File.WriteAllTextAsync(Path.Combine(_dir, "policies", "main.cedar"), GatewayFiles.Policies);
        await File.WriteAllTextAsync(Path.Combine(_dir, "entities.json"), GatewayFiles.Entities);
        await File.WriteAllTextAsync(Path.Combine(_dir, "vault.key"), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _issuer.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Serve_SigkillUnderLoad_EveryForwardedCallIsInTheLogAndTheIndexCatchesUp()
    {
        var token = _issuer.Mint("reader-bot");
        using (var process = ServeProcess.Start(ConfigPath, _dir))
        {
            var stderr = process.StandardError.ReadToEndAsync();
            using var client = new HttpClient { BaseAddress = await ServeProcess.ReadAddressAsync(process, "data plane:") };
            using var stop = new CancellationTokenSource();
            var next = 0;
            var workers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        using var response = await Get(client, $"/tickets/{Interlocked.Increment(ref next)}", token, stop.Token);
                    }
                    catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                    {
                        // The server is gone mid-request: the point of the test.
                    }
                }
            })).ToArray();
            var clock = Stopwatch.StartNew();
            while (_upstream.Received.Count < 400 && clock.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
            {
                await Task.Delay(10);
            }
            // Killed with requests in flight: no shutdown, no flush, no final checkpoint.
            await ServeProcess.SignalAsync(process, "KILL");
            await ServeProcess.WaitForExitAsync(process);
            await stop.CancelAsync();
            await Task.WhenAll(workers);
            Assert.True(_upstream.Received.Count >= 400, await stderr);
        }

        var seen = _upstream.Received.Select(r => r.RawTarget).ToHashSet(StringComparer.Ordinal);
        // The log itself, as the kill left it: every call the upstream saw has its allow record, and the chain verifies.
        var verification = SegmentLogVerifier.Verify(DataDir, null);
        Assert.True(verification.Ok, verification.Problem?.ToString());
        var logged = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var entry in SegmentLogRecords.QueryAsync(SegmentFiles.Folder(DataDir), new AuditQuery { Kind = AuditEvent.Kinds.Decision, Decision = "allow" }, long.MaxValue))
        {
            logged.Add(entry.Event.Details["path"]);
        }
        Assert.Empty(seen.Except(logged));

        // Restarted, the server repairs nothing it does not need to, and its index catches up from the log.
        HashSet<string> indexed;
        using (var process = ServeProcess.Start(ConfigPath, _dir))
        {
            var stderr = process.StandardError.ReadToEndAsync();
            using var client = new HttpClient { BaseAddress = await ServeProcess.ReadAddressAsync(process, "data plane:") };
            using (var response = await Get(client, "/tickets/after-restart", token, CancellationToken.None))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            var clock = Stopwatch.StartNew();
            do
            {
                indexed = await IndexedAllowPathsAsync();
            }
            while (!indexed.IsSupersetOf(seen) && clock.Elapsed < TimeSpan.FromSeconds(60) && await Delay());
            await ServeProcess.SignalAsync(process, "TERM");
            Assert.True(await ServeProcess.WaitForExitAsync(process) == 0, await stderr);
        }
        Assert.Empty(seen.Except(indexed));
        Assert.Contains("/tickets/after-restart", indexed);
        verification = SegmentLogVerifier.Verify(DataDir, null);
        Assert.True(verification.Ok, verification.Problem?.ToString());
    }

    [Fact]
    public async Task Serve_LogCannotGrow_RefusesForwardsNothingAndRecoversByItself()
    {
        // Power-loss durability for every record, to see the fsync path refuse and recover too.
        await File.AppendAllTextAsync(ConfigPath, "\naudit:\n  durability: power_loss\n");
        var token = _issuer.Mint("reader-bot");
        // SIGXFSZ ignored (inherited through exec), so a write past the file-size limit fails with EFBIG as a write to
        // a full disk fails with ENOSPC, instead of killing the process.
        using var process = ServeProcess.Start(ConfigPath, _dir, "trap '' XFSZ");
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = await ServeProcess.ReadAddressAsync(process, "data plane:") };
            using (var response = await Get(client, "/tickets/before", token, CancellationToken.None))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            using (var ready = await client.GetAsync("/readyz"))
            {
                using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
                Assert.Equal("power_loss", body.RootElement.GetProperty("durability").GetProperty("default").GetString());
            }

            // No file of the process may grow past the log segment's present size: the log is full.
            var segment = SegmentFiles.List(SegmentFiles.Folder(DataDir))[^1].Path;
            var limit = new FileInfo(segment).Length.ToString(CultureInfo.InvariantCulture);
            var (code, output) = await ServeProcess.RunAsync("prlimit", "--pid", process.Id.ToString(CultureInfo.InvariantCulture), $"--fsize={limit}:unlimited");
            Assert.True(code == 0, output);
            _upstream.Clear();
            for (var i = 0; i < 5; i++)
            {
                using var refused = await Get(client, $"/tickets/full-{i}", token, CancellationToken.None);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Contains("audit.unavailable", await refused.Content.ReadAsStringAsync());
            }
            Assert.Empty(_upstream.Received);
            using (var ready = await client.GetAsync("/readyz"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            }

            // Room again: nobody restarts anything.
            (code, output) = await ServeProcess.RunAsync("prlimit", "--pid", process.Id.ToString(CultureInfo.InvariantCulture), "--fsize=unlimited:unlimited");
            Assert.True(code == 0, output);
            using (var ready = await client.GetAsync("/readyz"))
            {
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            }
            using (var response = await Get(client, "/tickets/after", token, CancellationToken.None))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            Assert.Equal("/tickets/after", Assert.Single(_upstream.Received).RawTarget);
        }
        finally
        {
            await ServeProcess.SignalAsync(process, "TERM");
        }

        Assert.Equal(0, await ServeProcess.WaitForExitAsync(process));
        var errors = await stderr;
        // The outage is on stderr once (event 5101), and its end on stdout.
        Assert.Single(errors.Split('\n'), l => l.Contains("Mandate.Audit[5101]", StringComparison.Ordinal));
        var verification = SegmentLogVerifier.Verify(DataDir, null);
        Assert.True(verification.Ok, verification.Problem?.ToString());
        Assert.Equal(verification.Records, verification.PowerLossRecords);
        var kinds = new List<string>();
        await foreach (var entry in SegmentLogRecords.QueryAsync(SegmentFiles.Folder(DataDir), new AuditQuery(), long.MaxValue))
        {
            kinds.Add(entry.Event.Kind + " " + entry.Event.Details.GetValueOrDefault("path"));
        }
        Assert.DoesNotContain(kinds, k => k.Contains("/tickets/full-", StringComparison.Ordinal));
        Assert.Contains(AuditEvent.Kinds.AuditResumed + " ", kinds);
    }

    private static async Task<HttpResponseMessage> Get(HttpClient client, string path, string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return await client.SendAsync(request, ct);
    }

    private async Task<HashSet<string>> IndexedAllowPathsAsync()
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in new SqliteAuditReader(new SqliteAuditOptions { DataDirectory = DataDir }).QueryAsync(new AuditQuery { Kind = AuditEvent.Kinds.Decision, Decision = "allow" }))
        {
            paths.Add(e.Event.Details["path"]);
        }
        return paths;
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(50);
        return true;
    }
}
