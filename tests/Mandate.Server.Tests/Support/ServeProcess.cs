using System.Diagnostics;

namespace Mandate.Server.Tests.Support;

/// <summary><c>mandate serve</c> as a child process of the test: started (optionally through a shell that prepares
/// it), its addresses read from its output, signalled like an operator or the kernel would.</summary>
public static class ServeProcess
{
    /// <summary>Starts <c>mandate serve --config <paramref name="configPath"/></c> in <paramref name="directory"/>.
    /// With <paramref name="shellPrefix"/>, through <c>bash -c "PREFIX; exec dotnet …"</c> (to set signal dispositions
    /// or limits that the server inherits).</summary>
    public static Process Start(string configPath, string directory, string? shellPrefix = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "mandate.dll");
        var start = shellPrefix is null
            ? new ProcessStartInfo("dotnet") { ArgumentList = { dll, "serve", "--config", configPath } }
            : new ProcessStartInfo("bash") { ArgumentList = { "-c", $"{shellPrefix}; exec dotnet \"$0\" serve --config \"$1\"", dll, configPath } };
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = directory;
        return Process.Start(start)!;
    }

    /// <summary>The address printed after <paramref name="prefix"/> (<c>data plane:</c>, <c>control plane:</c>).</summary>
    public static async Task<Uri> ReadAddressAsync(Process process, string prefix)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return new Uri(line[prefix.Length..].Trim());
            }
        }

        throw new InvalidOperationException("mandate serve exited before printing its addresses");
    }

    /// <summary>Sends <paramref name="signal"/> (<c>KILL</c>, <c>TERM</c>) to the process.</summary>
    public static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString()]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Runs a program to its end; its exit code and output.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await WaitForExitAsync(process);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Waits (at most 90 s) for the process to exit; its exit code.</summary>
    public static async Task<int> WaitForExitAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }
}
