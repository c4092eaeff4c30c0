using System.Diagnostics;
using System.Net;
using Mandate.Server.Tests.Support;
using Mandate.Storage.Sqlite.Audit;

namespace Mandate.Server.Tests.EndToEnd;

/// <summary><c>mandate serve</c> as a real process: starts, forwards an allowed call, stops on SIGTERM, leaves a verifiable audit chain.</summary>
public sealed class ServeProcessTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mandate-proc-" + Guid.NewGuid().ToString("N")[..10]);
    private TestIssuer _issuer = null!;
    private RecordingUpstream _upstream = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestIssuer.StartAsync();
        _upstream = await RecordingUpstream.StartAsync();
        Directory.CreateDirectory(Path.Combine(_dir, "policies"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "mandate.yaml"), GatewayFiles.Config(_issuer.Issuer, _upstream.Url));
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
    public async Task Serve_RealProcess_ForwardsAllowedCallAndStopsCleanlyOnSigterm()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "mandate.dll"), "serve", "--config", Path.Combine(_dir, "mandate.yaml") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dir,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var dataPlane = await ReadAddressAsync(process, "data plane:");
            using var client = new HttpClient { BaseAddress = dataPlane };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/tickets/3");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _issuer.Mint("reader-bot"));
            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("/tickets/3", Assert.Single(_upstream.Received).RawTarget);
        }
        finally
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]);
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await stderr);

        var verification = await new SqliteAuditReader(new SqliteAuditOptions { DataDirectory = Path.Combine(_dir, "data") }).VerifyAsync();
        Assert.True(verification.Ok, verification.Problem?.ToString());
        Assert.True(verification.Records >= 3); // policy loaded, decision, outcome
    }

    [Fact]
    public async Task Serve_SigtermAfterRequests_ExitsZeroAndAuditVerifyReportsEveryRequest()
    {
        using var process = StartServe(Path.Combine(_dir, "mandate.yaml"));
        var stderr = process.StandardError.ReadToEndAsync();
        var decisionIds = new List<string>();
        try
        {
            var dataPlane = await ReadAddressAsync(process, "data plane:");
            using var client = new HttpClient { BaseAddress = dataPlane };
            foreach (var id in new[] { "1", "2", "3" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/tickets/{id}");
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _issuer.Mint("reader-bot"));
                using var response = await client.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                decisionIds.Add(response.Headers.GetValues("X-Mandate-Decision-Id").Single());
            }
        }
        finally
        {
            await SignalAsync(process, "TERM");
        }

        var exitCode = await WaitForExitAsync(process);
        Assert.True(exitCode == 0, $"exit {exitCode}: {await stderr}");
        Assert.Equal(["/tickets/1", "/tickets/2", "/tickets/3"], _upstream.Received.Select(r => r.RawTarget));

        var (verifyCode, verifyOutput) = await RunCliAsync("audit", "verify", "--data-dir", Path.Combine(_dir, "data"));
        Assert.True(verifyCode == 0, verifyOutput);
        var match = System.Text.RegularExpressions.Regex.Match(verifyOutput, @"^ok: (\d+) records", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.True(match.Success, verifyOutput);
        Assert.True(int.Parse(match.Groups[1].Value) >= 1 + 2 * decisionIds.Count, verifyOutput); // policy_loaded + decision and outcome per request

        // Every request's decision AND outcome record reached the file before the process exited.
        var entries = new List<Mandate.Core.Audit.AuditEntry>();
        await foreach (var e in new SqliteAuditReader(new SqliteAuditOptions { DataDirectory = Path.Combine(_dir, "data") }).QueryAsync(new Mandate.Core.Audit.AuditQuery()))
        {
            entries.Add(e);
        }

        foreach (var id in decisionIds)
        {
            Assert.Contains(entries, e => e.Event.DecisionId == id && e.Event.Kind == "decision" && e.Event.Decision == "allow");
            Assert.Contains(entries, e => e.Event.DecisionId == id && e.Event.Kind == "outcome");
        }
    }

    [Fact]
    public async Task Serve_AuditLogDeleted_Answers503ForwardsNothingAndLogsTheStoreProblemOnce()
    {
        using var process = StartServe(Path.Combine(_dir, "mandate.yaml"));
        var stderr = process.StandardError.ReadToEndAsync();
        var statuses = new List<HttpStatusCode>();
        try
        {
            var dataPlane = await ReadAddressAsync(process, "data plane:");
            using var client = new HttpClient { BaseAddress = dataPlane };
            async Task<HttpStatusCode> GetAsync()
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/tickets/3");
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _issuer.Mint("reader-bot"));
                using var response = await client.SendAsync(request);
                return response.StatusCode;
            }

            statuses.Add(await GetAsync());
            Directory.Delete(Path.Combine(_dir, "data", "audit"), recursive: true);
            statuses.Add(await GetAsync());
            statuses.Add(await GetAsync());
        }
        finally
        {
            await SignalAsync(process, "TERM");
        }

        await WaitForExitAsync(process);
        var log = await process.StandardOutput.ReadToEndAsync();
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable], statuses);
        Assert.Equal("/tickets/3", Assert.Single(_upstream.Received).RawTarget);
        // The log's own line (category Mandate.Audit, event 5101) says why, once for the whole outage.
        var errors = await stderr;
        var storeLines = errors.Split('\n').Where(l => l.Contains("Mandate.Audit[5101]", StringComparison.Ordinal)).ToList();
        Assert.True(storeLines.Count == 1, log + errors);
        Assert.Contains("refusing to start a new chain", storeLines[0]);
    }

    [Fact]
    public async Task Serve_SigtermDuringStartup_ExitsZero()
    {
        // An issuer that accepts connections and never answers holds start-up in the key warm-up.
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<System.Net.Sockets.Socket>();
        using var stopAccepting = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    held.Add(await silent.AcceptSocketAsync(stopAccepting.Token));
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        var silentIssuer = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        var config = Path.Combine(_dir, "silent-issuer.yaml");
        await File.WriteAllTextAsync(config, GatewayFiles.Config(silentIssuer, _upstream.Url));

        using var process = StartServe(config);
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await ReadLineStartingAsync(process, "starting:");
        }
        finally
        {
            await SignalAsync(process, "TERM");
        }

        var exitCode = await WaitForExitAsync(process);
        var rest = await process.StandardOutput.ReadToEndAsync();
        Assert.True(exitCode == 0, $"exit {exitCode}: {await stderr}");
        Assert.Contains("stopped during start-up", rest);
        Assert.Empty(_upstream.Received);

        await stopAccepting.CancelAsync();
        await accepting;
        foreach (var socket in held)
        {
            socket.Dispose();
        }
    }

    private Process StartServe(string configPath) =>
        Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "mandate.dll"), "serve", "--config", configPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dir,
        })!;

    private static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString()]);
        await kill.WaitForExitAsync();
    }

    private static async Task<int> WaitForExitAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    /// <summary>Runs the built CLI as a process; returns its exit code and standard output.</summary>
    private async Task<(int Code, string Output)> RunCliAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mandate.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var code = await WaitForExitAsync(process);
        return (code, await output + await error);
    }

    private static async Task ReadLineStartingAsync(Process process, string prefix) => await ReadAddressLineAsync(process, prefix);

    private static async Task<string> ReadAddressLineAsync(Process process, string prefix)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line[prefix.Length..].Trim();
            }
        }

        throw new InvalidOperationException($"mandate serve exited before printing `{prefix}`");
    }

    private static async Task<Uri> ReadAddressAsync(Process process, string prefix)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return new Uri(line[prefix.Length..].Trim());
            }
        }

        throw new InvalidOperationException("mandate serve exited before printing its addresses");
    }
}
