using System.Diagnostics;
using Mandate.Cli.Commands;

namespace Mandate.Demo.Tests;

/// <summary>
/// `mandate demo` and `mandate demo issuer` as real processes: how they start, stop and what they write.
/// The printed commands are replayed in <see cref="PrintedDemoProcessTests"/>.
/// </summary>
public sealed class DemoCommandTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("mandate-demo-cli-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task Demo_Sigterm_StopsGracefullyWithExitZero()
    {
        using var demo = Start("demo", "--port", "0", "--data-dir", _dataDir);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        demo.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null || e.Data.StartsWith(DemoCommand.ReadyMarker, StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        demo.BeginOutputReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.False(demo.HasExited, "the demo exited before it was stopped");

            Assert.Equal(0, MandateProcess.Terminate(demo.Id));
            Assert.True(demo.WaitForExit(TimeSpan.FromSeconds(30)), "the demo did not stop on SIGTERM");
            Assert.Equal(0, demo.ExitCode);
        }
        finally
        {
            if (!demo.HasExited)
            {
                demo.Kill(entireProcessTree: true);
                demo.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
    }

    [Fact]
    public async Task Demo_NoWait_PrintsAndExitsZero()
    {
        using var demo = Start("demo", "--port", "0", "--data-dir", _dataDir, "--no-wait");
        var output = await demo.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(90));
        await demo.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, demo.ExitCode);
        Assert.Contains(DemoCommand.ReadyMarker, output, StringComparison.Ordinal);
        Assert.Contains("export SUPPORT_BOT='", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_Duration_StopsByItselfWithExitZero()
    {
        using var demo = Start("demo", "--port", "0", "--data-dir", _dataDir, "--duration", "1");
        var output = demo.StandardOutput.ReadToEndAsync();
        await demo.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, demo.ExitCode);
        Assert.Contains("running for 1 s", await output.WaitAsync(TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoIssuer_RealProcess_WritesDistinctVerifiableTokensAndStopsOnSigterm()
    {
        var tokens = Path.Combine(_dataDir, "tokens");
        using var issuer = Start("demo", "issuer", "--out", tokens, "--fresh", "50", "--audience", "mandate-bench");
        try
        {
            var ready = Path.Combine(tokens, IssuerTokenFiles.IssuerFile);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!File.Exists(ready) && DateTime.UtcNow < deadline && !issuer.HasExited)
            {
                await Task.Delay(100);
            }

            // Read stderr only from a process that has exited: a running one never reaches end of stream.
            Assert.True(File.Exists(ready), issuer.HasExited ? await issuer.StandardError.ReadToEndAsync() : $"no {ready} after 60 s");
            var issuerUrl = (await File.ReadAllTextAsync(ready)).Trim();
            var fresh = (await File.ReadAllLinesAsync(Path.Combine(tokens, IssuerTokenFiles.FreshTokensFile)))
                .Where(l => l.Length > 0).ToArray();
            Assert.Equal(50, fresh.Length);
            Assert.Equal(50, fresh.Distinct(StringComparer.Ordinal).Count());

            using var http = new HttpClient();
            var jwks = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await http.GetStringAsync(issuerUrl + "/jwks.json"));
            var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
            foreach (var token in fresh.Take(3).Append((await File.ReadAllTextAsync(Path.Combine(tokens, "token-intern-bot.txt"))).Trim()))
            {
                var result = await handler.ValidateTokenAsync(token, new Microsoft.IdentityModel.Tokens.TokenValidationParameters
                {
                    ValidIssuer = issuerUrl,
                    ValidAudience = "mandate-bench",
                    IssuerSigningKeys = jwks.GetSigningKeys(),
                });
                Assert.True(result.IsValid, result.Exception?.Message);
            }

            Assert.Equal(0, MandateProcess.Terminate(issuer.Id));
            Assert.True(issuer.WaitForExit(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, issuer.ExitCode);
        }
        finally
        {
            if (!issuer.HasExited)
            {
                issuer.Kill(entireProcessTree: true);
            }
        }
    }

    private static Process Start(params string[] arguments) => MandateProcess.Start(arguments);
}
