using System.CommandLine;
using Mandate.Cli.Commands;

namespace Mandate.Cli;

/// <summary>Entry point of the <c>mandate</c> command.</summary>
public static class CliApp
{
    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Mandate: a runtime authorization gateway for AI agents.");
        root.Subcommands.Add(DemoCommand.Create());
        return root.Parse(args).InvokeAsync();
    }
}
