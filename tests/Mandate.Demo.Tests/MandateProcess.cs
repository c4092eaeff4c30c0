using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Mandate.Demo.Tests;

/// <summary>The built <c>mandate</c> CLI as a real process, and the printed commands it tells a user to run.</summary>
internal static class MandateProcess
{
    private const int Sigterm = 15;

    private static string MandateDll => Path.Combine(AppContext.BaseDirectory, "mandate.dll");

    /// <summary>How a user would run this built CLI: <c>dotnet /path/mandate.dll</c> (what <c>mandate demo</c> prints when run so).</summary>
    public static string Invocation => "dotnet " + DemoScript.Quote(MandateDll);

    /// <summary>Starts <c>dotnet mandate.dll &lt;arguments&gt;</c> with stdout and stderr redirected.</summary>
    public static Process Start(params string[] arguments) => StartIn(null, arguments);

    /// <summary>Starts <c>dotnet mandate.dll &lt;arguments&gt;</c> in <paramref name="workingDirectory"/> (null: this process's).</summary>
    public static Process StartIn(string? workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        info.ArgumentList.Add(MandateDll);
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info)!;
    }

    /// <summary>Sends SIGTERM, as a service manager stops the demo; 0 when the signal was sent.</summary>
    public static int Terminate(int pid) => Kill(pid, Sigterm);

    /// <summary>Runs <c>dotnet mandate.dll &lt;arguments&gt;</c> in <paramref name="workingDirectory"/> to its end.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunIn(string workingDirectory, params string[] arguments)
    {
        using var process = StartIn(workingDirectory, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Runs one printed command line (no variables) as a process; its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunPrintedAsync(string line, string? workingDirectory = null)
    {
        var words = PrintedDemo.ShellWords(line, new Dictionary<string, string>());
        var info = new ProcessStartInfo(words[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
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

    // kill(2): .NET can only SIGKILL another process.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
