using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Mandate.Cli.Commands;

namespace Mandate.Demo.Tests;

/// <summary>
/// `mandate demo` as a user runs it: a real process, its printed curl commands replayed over real
/// HTTP, the printed audit commands run as real processes, then a graceful stop by SIGTERM.
/// </summary>
public sealed class DemoCommandTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("mandate-demo-cli-").FullName;
    private static string MandateDll => Path.Combine(AppContext.BaseDirectory, "mandate.dll");

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task Demo_RealProcess_PrintedCommandsAnswerAsPrintedAndAuditVerifies()
    {
        using var demo = Start("demo", "--port", "0", "--data-dir", _dataDir);
        var stdout = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        demo.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetResult();
                return;
            }

            lock (stdout)
            {
                stdout.Append(e.Data).Append('\n');
            }

            if (e.Data.StartsWith(DemoCommand.ReadyMarker, StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        var stderr = new StringBuilder();
        demo.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.Append(e.Data).Append('\n'); } };
        demo.BeginOutputReadLine();
        demo.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
            string printed;
            lock (stdout)
            {
                printed = stdout.ToString();
            }

            Assert.False(demo.HasExited, $"the demo exited early: {stderr}");
            var (_, calls, commands) = PrintedDemo.Parse(printed);
            Assert.NotEmpty(calls);
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
            foreach (var call in calls)
            {
                var (status, response, body) = await PrintedCallRunner.SendAsync(http, call);
                DemoExpectations.AssertAnswer(call, status, response, body);
            }

            var verify = await RunPrintedAsync(commands.Single(c => c.Contains(" audit verify ", StringComparison.Ordinal)));
            Assert.True(verify.ExitCode == 0, verify.Output);
            var denials = await RunPrintedAsync(commands.Single(c => c.Contains(" audit query ", StringComparison.Ordinal)));
            Assert.Equal(0, denials.ExitCode);
            var denied = calls.Count(c => c.ExpectedStatus >= 400);
            Assert.True(denials.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= denied, denials.Output);

            Assert.Equal(0, Kill(demo.Id, Sigterm));
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

            Assert.Equal(0, Kill(issuer.Id, Sigterm));
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

    private static Process Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(MandateDll);
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info)!;
    }

    private static async Task<(int ExitCode, string Output)> RunPrintedAsync(string line)
    {
        var words = PrintedDemo.ShellWords(line, new Dictionary<string, string>());
        var info = new ProcessStartInfo(words[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var w in words.Skip(1))
        {
            info.ArgumentList.Add(w);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output + await error);
    }

    private const int Sigterm = 15;

    // kill(2): .NET can only SIGKILL another process; SIGTERM is how a service manager stops the demo.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
