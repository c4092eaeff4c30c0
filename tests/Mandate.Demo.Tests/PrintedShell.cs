using System.Diagnostics;

namespace Mandate.Demo.Tests;

/// <summary>Runs printed lines as a user's shell would: bash, with the variables set so far in its environment.</summary>
internal static class PrintedShell
{
    /// <summary>
    /// Runs a printed <c>NAME=$(…)</c> line (curl and sed run for real) and returns the value it gives its variable, and
    /// what it showed on the terminal (the answer a <c>tee /dev/stderr</c> shows).
    /// </summary>
    public static (string Value, string Shown) Assign(string line, IReadOnlyDictionary<string, string> variables)
    {
        var name = line[..line.IndexOf('=', StringComparison.Ordinal)];
        var (exitCode, output, error) = Bash(line + "\nprintf '%s' \"$" + name + "\"", variables);
        Assert.True(exitCode == 0, $"`{name}=…` exited {exitCode}: {error}");
        Assert.True(output.Length > 0, $"`{name}=…` set nothing: {error}");
        return (output, error);
    }

    /// <summary>Runs one printed command line; its exit code and output, judged by the caller.</summary>
    public static PrintedRun Run(PrintedStep step, IReadOnlyDictionary<string, string> variables)
    {
        var (exitCode, output, error) = Bash(step.Line, variables);
        return new PrintedRun(step, exitCode, output, error);
    }

    private static (int ExitCode, string Output, string Error) Bash(string script, IReadOnlyDictionary<string, string> variables)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (var (key, value) in variables)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), $"`{script}` did not finish in 60 s");
        return (process.ExitCode, output.Result, error.Result);
    }
}
