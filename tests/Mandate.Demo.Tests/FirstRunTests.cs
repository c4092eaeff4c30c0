using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Mandate.Cli.Commands;

namespace Mandate.Demo.Tests;

/// <summary>
/// A user's first run, as real processes started from folders of their own: the README's <c>dotnet run --project</c>,
/// the demo's printed commands from another folder, relative paths on the command line and in the configuration,
/// a configuration with several problems, and the demo's port when it is taken.
/// </summary>
public sealed partial class FirstRunTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("mandate-first-run-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_home, name)).FullName;

    [Fact]
    public async Task DotnetRunProject_FromAFolderOfTheUsers_DemoDataLandsThereAndPrintedVerifyWorksFromAnother()
    {
        var typedIn = Folder("typed-here");
        var repository = RepositoryRoot();
        // The README's command, on the build the tests run from (no second build).
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                "run", "--project", Path.Combine(repository, "src", "Mandate.Cli"), "-c", BuildConfiguration(), "--no-build",
                "--", "demo", "--no-wait", "--port", "0",
            },
            WorkingDirectory = typedIn,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var demo = Process.Start(info)!;
        var output = demo.StandardOutput.ReadToEndAsync();
        var error = demo.StandardError.ReadToEndAsync();
        await demo.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        var printed = await output;

        Assert.True(demo.ExitCode == 0, printed + await error);
        Assert.True(File.Exists(Path.Combine(typedIn, ".mandate-demo", "mandate.yaml")), printed);
        Assert.False(Directory.Exists(Path.Combine(repository, "src", "Mandate.Cli", ".mandate-demo")), "the demo wrote into src/Mandate.Cli");
        var verify = printed.Split('\n').Single(l => l.Contains(" audit verify ", StringComparison.Ordinal));
        var (exitCode, verified) = await MandateProcess.RunPrintedAsync(verify, Folder("elsewhere"));
        Assert.True(exitCode == 0, verified);
        Assert.True(Checkpoints(verified) >= 1, verified);
    }

    [Fact]
    public async Task ServeCheck_RelativeConfigPath_ResolvesAgainstTheCurrentFolderAndItsPathsAgainstTheConfigs()
    {
        var project = Folder("project");
        var config = Directory.CreateDirectory(Path.Combine(project, "config")).FullName;
        Directory.CreateDirectory(Path.Combine(config, "policies"));
        await File.WriteAllTextAsync(Path.Combine(config, "policies", "allow.cedar"), "permit (principal, action, resource);\n");
        await File.WriteAllTextAsync(Path.Combine(config, "admin.token"), "a-long-enough-admin-token\n");
        await File.WriteAllTextAsync(Path.Combine(config, "mandate.yaml"), """
            controlPlane: { adminTokenFile: admin.token }
            identity: { oidc: [ { issuer: "https://login.example.com", audiences: [ mandate ] } ] }
            policies: { directory: policies }
            dataDir: data
            """);

        var (exitCode, output, error) = await MandateProcess.RunIn(project, "serve", "--config", "config/mandate.yaml", "--check");

        Assert.True(exitCode == 0, output + error);
        Assert.Contains(Path.Combine(config, "mandate.yaml") + ": configuration is valid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeCheck_UnknownKeyAmongOtherProblems_PrintsEveryOneWithPathAndLine()
    {
        var project = Folder("broken");
        await File.WriteAllTextAsync(Path.Combine(project, "mandate.yaml"), """
            dataPlane:
              listen: nowhere
              colour: blue
            controlPlane: { adminToken: short }
            identity: { oidc: [ { issuer: "https://login.example.com", audiences: [ mandate ] } ] }
            policies: { directory: missing }
            """);

        var (exitCode, _, error) = await MandateProcess.RunIn(project, "serve", "--config", "mandate.yaml", "--check");

        Assert.Equal(2, exitCode);
        Assert.Contains("has 4 problem(s)", error, StringComparison.Ordinal);
        Assert.Contains("line 2: dataPlane.listen:", error, StringComparison.Ordinal);
        Assert.Contains("line 3: dataPlane.colour: unknown key `colour`", error, StringComparison.Ordinal);
        Assert.Contains("line 4: controlPlane.adminToken:", error, StringComparison.Ordinal);
        Assert.Contains("line 6: policies.directory: folder `" + Path.Combine(project, "missing") + "` does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_ExplicitPortTaken_SaysSoBeforeStartingAnything()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var dataDir = Path.Combine(_home, "never-created");
        var clock = Stopwatch.StartNew();

        var (exitCode, output, error) = await MandateProcess.RunIn(Folder("port"), "demo", "--port", port.ToString(), "--data-dir", dataDir, "--no-wait");

        Assert.Equal(1, exitCode);
        Assert.Contains($"port {port} on 127.0.0.1 is already in use", error, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoCommand.ReadyMarker, output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataDir), "the demo started things before it looked at the port");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Demo_DefaultPortTaken_PicksAFreeOneAndSaysSo()
    {
        // Hold 8080 unless something else already does; either way the default port is taken.
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            taken.Bind(new IPEndPoint(IPAddress.Loopback, 8080));
            taken.Listen();
        }
        catch (SocketException)
        {
            // Already in use by another program: the case under test.
        }

        var (exitCode, output, error) = await MandateProcess.RunIn(Folder("default-port"), "demo", "--data-dir", Path.Combine(_home, "default-port-data"), "--no-wait");

        Assert.True(exitCode == 0, output + error);
        var note = PortNote().Match(output);
        Assert.True(note.Success, output);
        Assert.Contains($"gateway (data plane)  http://127.0.0.1:{note.Groups["port"].Value}/", output, StringComparison.Ordinal);
        Assert.Contains($"'http://127.0.0.1:{note.Groups["port"].Value}/tickets'", output, StringComparison.Ordinal);
    }

    private static int Checkpoints(string verifyOutput)
    {
        var match = CheckpointCount().Match(verifyOutput);
        return match.Success ? int.Parse(match.Groups["n"].Value) : -1;
    }

    [GeneratedRegex(@"(?<n>\d+) checkpoints?")]
    private static partial Regex CheckpointCount();

    [GeneratedRegex(@"# port 8080 is already in use, so the gateway listens on port (?<port>\d+) instead")]
    private static partial Regex PortNote();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mandate.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the first-run tests run from a checkout");
    }

    // bin/<Configuration>/net10.0/: the build these tests belong to, which `dotnet run --no-build` must reuse.
    private static string BuildConfiguration() =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
}
