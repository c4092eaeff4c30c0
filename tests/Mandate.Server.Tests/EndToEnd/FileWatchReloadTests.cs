using System.Net;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.EndToEnd;

/// <summary>Reload on file change (watcher + debounce), without the admin API.</summary>
public sealed class FileWatchReloadTests : IAsyncLifetime
{
    private readonly GatewayFixture _gw = new() { WatchFiles = true };

    public Task InitializeAsync() => _gw.InitializeAsync();

    public Task DisposeAsync() => _gw.DisposeAsync();

    [Fact]
    public async Task PolicyFileEdited_BrokenThenGood_OldServesUntilGoodSwaps()
    {
        var first = _gw.Gateway.Server.Snapshots.Current.Version;
        await File.WriteAllTextAsync(_gw.PolicyFile, "permit (principal, action, resource) when {");
        await WaitForAsync(async () => (await _gw.AuditAsync()).Any(e => e.Event.Kind == "policy_refused"));
        Assert.Equal(first, _gw.Gateway.Server.Snapshots.Current.Version);
        using (var allowed = await _gw.GetAsync("/tickets/42", _gw.Issuer.Mint("reader-bot")))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        await File.WriteAllTextAsync(_gw.PolicyFile, """
            @id("only-forbid")
            forbid (principal, action, resource);
            """);
        await WaitForAsync(() => Task.FromResult(_gw.Gateway.Server.Snapshots.Current.Version != first));

        _gw.Upstream.Clear();
        using var denied = await _gw.GetAsync("/tickets/42", _gw.Issuer.Mint("reader-bot"));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        // Generous: file events, the debounce timer and the reload all wait for a thread on a loaded machine.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the change was not picked up within 30 s");
            await Task.Delay(50);
        }
    }
}
