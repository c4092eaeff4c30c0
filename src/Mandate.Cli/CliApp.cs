using System.CommandLine;
using Mandate.Cli.Commands;

namespace Mandate.Cli;

/// <summary>Entry point of the <c>mandate</c> command.</summary>
public static class CliApp
{
    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <summary>Runs the command line writing to the given streams (tests capture output this way).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var root = new RootCommand("mandate: runtime authorization gateway for AI agents")
        {
            ServeCommand.Create(),
            AuditCommand.Create(),
            VaultCommand.Create(),
            PolicyCommand.Create(),
            DemoCommand.Create(),
            RevokeCommand.Create(),
            ApprovalsCommand.Create(),
            ReportCommand.Create(),
            McpCommand.Create(),
        };
        // SIGINT/SIGTERM cancel the action's token; the action then has this long to finish cleanly (serve
        // stops both planes and closes the audit log) before the process is ended with 130/143. The library's
        // default, 2 s, is shorter than a shutdown on a loaded machine takes.
        var configuration = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = TimeSpan.FromSeconds(60) };
        return root.Parse(args).InvokeAsync(configuration, ct);
    }
}
