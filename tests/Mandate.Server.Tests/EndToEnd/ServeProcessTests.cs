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
