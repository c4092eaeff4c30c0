namespace Mandate.Demo.Tests;

/// <summary>One in-process <see cref="DemoSession"/> whose printed commands are replayed once for the whole class.</summary>
public sealed class PrintedDemoSessionFixture : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("mandate-demo-printed-").FullName;

    public DemoSession Session { get; private set; } = null!;

    internal PrintedDemoReplay Replay { get; private set; } = null!;

    /// <summary>How the printout runs the CLI: the built <c>mandate</c>, so that the printed approval runs for real.</summary>
    public string MandateCommand { get; } = MandateProcess.Invocation;

    public async Task InitializeAsync()
    {
        var (session, problems) = await DemoSession.StartAsync(new DemoOptions { Port = 0, DataDirectory = _dataDir }, null, CancellationToken.None);
        Assert.True(session is not null, string.Join("; ", problems));
        Session = session!;
        Replay = await PrintedDemoReplay.RunAsync(Session.Instructions(MandateCommand));
    }

    public async Task DisposeAsync()
    {
        if (Session is not null)
        {
            await Session.DisposeAsync();
        }

        Directory.Delete(_dataDir, recursive: true);
    }
}
