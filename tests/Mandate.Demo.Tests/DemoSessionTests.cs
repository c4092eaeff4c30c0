using System.Net;
using System.Net.Sockets;

namespace Mandate.Demo.Tests;

public sealed class DemoSessionTests : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("mandate-demo-session-").FullName;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _http.Dispose();
        Directory.Delete(_dataDir, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<DemoSession> StartAsync(int port = 0)
    {
        var (session, problems) = await DemoSession.StartAsync(new DemoOptions { Port = port, DataDirectory = _dataDir }, null, CancellationToken.None);
        Assert.True(session is not null, string.Join("; ", problems));
        return session!;
    }

    [Fact]
    public async Task StartAsync_SameDataDirectoryTwice_ReusesTheVaultAndServesTheLegacyApi()
    {
        await (await StartAsync()).DisposeAsync();
        var vaultKey = await File.ReadAllTextAsync(Path.Combine(_dataDir, "vault.key"));

        await using var session = await StartAsync();

        Assert.Equal(vaultKey, await File.ReadAllTextAsync(Path.Combine(_dataDir, "vault.key")));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(session.Gateway, "/legacy/reports"));
        request.Headers.Authorization = new("Bearer", session.Tokens[DemoAgents.FinanceAgent.Id]);
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task StartAsync_PortInUse_ReturnsProblemsAndLeavesNothingRunning()
    {
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;

        var (session, problems) = await DemoSession.StartAsync(new DemoOptions { Port = port, DataDirectory = _dataDir }, null, CancellationToken.None);

        Assert.Null(session);
        Assert.NotEmpty(problems);
    }

    [Fact]
    public async Task PolicyFile_EditedInTheDataDirectory_GatewayReloadsIt()
    {
        // The printout says "edit one: the gateway reloads it"; hold the demo to it.
        await using var session = await StartAsync();
        async Task<HttpStatusCode> ReadSecretAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(session.Gateway, "/documents/merger-plan"));
            request.Headers.Authorization = new("Bearer", session.Tokens[DemoAgents.SupportBot.Id]);
            return (await _http.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, await ReadSecretAsync());
        var file = Path.Combine(_dataDir, "policies", "documents.cedar");
        var text = await File.ReadAllTextAsync(file);
        await File.WriteAllTextAsync(file, text.Replace("resource.classification == \"secret\"", "resource.classification == \"top-secret\"", StringComparison.Ordinal));

        var deadline = DateTime.UtcNow.AddSeconds(15);
        var status = HttpStatusCode.Forbidden;
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            status = await ReadSecretAsync();
        }

        Assert.Equal(HttpStatusCode.OK, status);
    }
}
