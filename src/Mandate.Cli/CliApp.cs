namespace Mandate.Cli;

/// <summary>Entry point of the <c>mandate</c> command.</summary>
public static class CliApp
{
    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("usage: mandate <policy|serve|demo|audit> ...");
        return Task.FromResult(2);
    }
}
