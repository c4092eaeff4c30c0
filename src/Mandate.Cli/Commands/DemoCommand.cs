using System.CommandLine;
using System.Runtime.InteropServices;
using Mandate.Demo;

namespace Mandate.Cli.Commands;

/// <summary>
/// <c>mandate demo</c>: the whole product on one machine in one process (sample API, token issuer,
/// gateway on SQLite), plus <c>mandate demo issuer</c>, the issuer alone for scripts such as the
/// load benchmark.
/// </summary>
public static class DemoCommand
{
    /// <summary>Builds the <c>demo</c> command with its <c>issuer</c> subcommand.</summary>
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Data plane port on 127.0.0.1 (default 8080, or a free one when 8080 is taken; 0 picks a free one).", DefaultValueFactory = _ => 8080 };
        var dataDir = new Option<string>("--data-dir") { Description = "Folder for the audit log, vault, generated config and policies.", DefaultValueFactory = _ => ".mandate-demo" };
        var duration = new Option<int?>("--duration") { Description = "Stop by itself after this many seconds (default: run until Ctrl+C)." };
        var noWait = new Option<bool>("--no-wait") { Description = "Start, print the commands, and stop right away (a smoke test)." };
        var command = new Command("demo", "Run a gateway in front of a sample API with a local token issuer, sample agents and policies, and print ready curl commands.")
        {
            port, dataDir, duration, noWait,
        };
        command.Subcommands.Add(CreateIssuer());
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            if (result.GetValue(port) is < 0 or > 65535 || result.GetValue(duration) is <= 0)
            {
                await error.WriteLineAsync("mandate demo: --port must be 0–65535 and --duration > 0");
                return 2;
            }

            // The port is checked before anything starts: a taken port is said plainly at once, not after the
            // sample API, the MCP server and the issuer are up. The default one is replaced by a free one.
            var dataPort = result.GetValue(port);
            if (dataPort != 0 && !DemoPorts.IsFree(dataPort))
            {
                if (result.GetResult(port) is { Implicit: false })
                {
                    await error.WriteLineAsync($"mandate demo: port {dataPort} on 127.0.0.1 is already in use by another program; choose another with --port N (--port 0 picks a free one)");
                    return 1;
                }

                var free = DemoPorts.PickFree();
                await output.WriteLineAsync($"# port {dataPort} is already in use, so the gateway listens on port {free} instead (choose one with --port N)");
                dataPort = free;
            }

            var (session, problems) = await DemoSession.StartAsync(
                new DemoOptions { Port = dataPort, DataDirectory = result.GetValue(dataDir)! },
                logging: null,
                cancellationToken);
            if (session is null)
            {
                await error.WriteLineAsync("mandate demo: cannot start:");
                foreach (var problem in problems)
                {
                    await error.WriteLineAsync($"  {problem}");
                }

                await error.WriteLineAsync("(is the port in use? try --port 0)");
                return 1;
            }

            await using (session)
            {
                await output.WriteAsync(session.Instructions(MandateInvocation()));
                var until = result.GetValue(noWait) ? "stopping (--no-wait)" :
                    result.GetValue(duration) is { } seconds ? $"running for {seconds} s" : "running; Ctrl+C to stop";
                await output.WriteLineAsync($"\n{ReadyMarker} {until}");
                await output.FlushAsync(cancellationToken);
                if (!result.GetValue(noWait))
                {
                    await WaitAsync(result.GetValue(duration), cancellationToken);
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>The line that ends the demo's printout once everything listens (tests wait for it).</summary>
    public const string ReadyMarker = "# ready:";

    // How a user runs this same CLI again, for the printed `audit` commands.
    private static string MandateInvocation()
    {
        var process = Environment.ProcessPath;
        var entry = typeof(DemoCommand).Assembly.Location;
        if (process is null || Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            return entry.Length == 0 ? "mandate" : $"dotnet {Quote(entry)}";
        }

        return Quote(process);
    }

    private static string Quote(string path) =>
        path.All(c => char.IsLetterOrDigit(c) || c is '/' or '.' or '-' or '_') ? path : "'" + path.Replace("'", "'\\''") + "'";

    private static async Task WaitAsync(int? seconds, CancellationToken cancellationToken)
    {
        // SIGTERM is handled like Ctrl+C: stop the gateway first, then the upstream and the issuer.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The signal raced with a stop that had already begun (System.CommandLine cancels on SIGTERM too).
            }
        });
        try
        {
            await Task.Delay(seconds is { } s ? TimeSpan.FromSeconds(s) : Timeout.InfiniteTimeSpan, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: the normal way to stop.
        }
    }

    private static Command CreateIssuer()
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 0 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for issuer.txt, token-<agent>.txt and tokens-fresh.txt.", Required = true };
        var fresh = new Option<int>("--fresh") { Description = "How many distinct support-bot tokens to write to tokens-fresh.txt.", DefaultValueFactory = _ => 0 };
        var audience = new Option<string>("--audience") { Description = "The tokens' aud.", DefaultValueFactory = _ => "mandate-demo" };
        var lifetime = new Option<int>("--lifetime-minutes") { Description = "Token lifetime.", DefaultValueFactory = _ => 60 };
        var command = new Command("issuer", "Run only the demo's OIDC token issuer (discovery + JWKS on 127.0.0.1) and write tokens to files; runs until Ctrl+C.")
        {
            port, output, fresh, audience, lifetime,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(fresh) < 0 || result.GetValue(lifetime) <= 0)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync("mandate demo issuer: --fresh must be ≥ 0 and --lifetime-minutes > 0");
                return 2;
            }

            await using var issuer = await DemoIssuer.StartAsync(
                new DemoIssuerOptions { Port = result.GetValue(port), Audience = result.GetValue(audience)! }, TimeProvider.System, cancellationToken);
            var directory = result.GetValue(output)!.FullName;
            IssuerTokenFiles.Write(issuer, directory, result.GetValue(fresh), TimeSpan.FromMinutes(result.GetValue(lifetime)));
            await result.InvocationConfiguration.Output.WriteLineAsync($"issuer {issuer.Issuer} (tokens in {directory}); Ctrl+C to stop");
            await WaitAsync(null, cancellationToken);
            return 0;
        });
        return command;
    }
}
