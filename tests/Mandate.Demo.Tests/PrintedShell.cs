using System.Diagnostics;

namespace Mandate.Demo.Tests;

/// <summary>Runs a printed <c>NAME=$(…)</c> line as a user's shell would: bash, with the exported variables set.</summary>
internal static class PrintedShell
{
    /// <summary>Runs <paramref name="line"/> with bash and returns the value it gives its variable (curl and sed run for real).</summary>
    public static string Assign(string line, IReadOnlyDictionary<string, string> variables)
    {
        var name = line[..line.IndexOf('=', StringComparison.Ordinal)];
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(line + "\nprintf '%s' \"$" + name + "\"");
        foreach (var (key, value) in variables)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), $"`{name}=…` did not finish in 60 s");
        Assert.True(process.ExitCode == 0, $"`{name}=…` exited {process.ExitCode}: {error.Result}");
        Assert.True(output.Result.Length > 0, $"`{name}=…` set nothing: {error.Result}");
        return output.Result;
    }
}
