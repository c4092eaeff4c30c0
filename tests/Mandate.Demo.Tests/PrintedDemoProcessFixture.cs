using System.Diagnostics;
using System.Text;
using Mandate.Cli.Commands;

namespace Mandate.Demo.Tests;

/// <summary>
/// <c>mandate demo</c> as a user runs it: a real process, its printout read up to the ready line and replayed once
/// for the whole class. Stopped at the end (SIGTERM, then a kill if it lingers).
/// </summary>
public sealed class PrintedDemoProcessFixture : IAsyncLifetime
{
    private Process? _demo;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("mandate-demo-cli-").FullName;

    internal PrintedDemoReplay Replay { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Started in a folder of its own, with an absolute data directory: the printed commands must not depend on
        // the folder the demo was started from.
        _demo = MandateProcess.StartIn(Directory.CreateDirectory(Path.Combine(DataDirectory, "..", Path.GetFileName(DataDirectory) + "-cwd")).FullName,
            "demo", "--port", "0", "--data-dir", DataDirectory);
        var stdout = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _demo.OutputDataReceived += (_, e) =>
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
        _demo.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.Append(e.Data).Append('\n'); } };
        _demo.BeginOutputReadLine();
        _demo.BeginErrorReadLine();

        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        string printed;
        lock (stdout)
        {
            printed = stdout.ToString();
        }

        Assert.False(_demo.HasExited, $"the demo exited early: {stderr}");
        Replay = await PrintedDemoReplay.RunAsync(printed);
    }

    public Task DisposeAsync()
    {
        if (_demo is not null)
        {
            if (!_demo.HasExited && (MandateProcess.Terminate(_demo.Id) != 0 || !_demo.WaitForExit(TimeSpan.FromSeconds(30))))
            {
                _demo.Kill(entireProcessTree: true);
                _demo.WaitForExit(TimeSpan.FromSeconds(10));
            }

            _demo.Dispose();
        }

        Directory.Delete(DataDirectory, recursive: true);
        Directory.Delete(DataDirectory + "-cwd", recursive: true);
        return Task.CompletedTask;
    }
}
