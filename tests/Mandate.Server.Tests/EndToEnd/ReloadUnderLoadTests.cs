using System.Net;
using System.Net.Http.Headers;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.EndToEnd;

/// <summary>Swapping snapshots while requests are in flight never fails a request.</summary>
public sealed class ReloadUnderLoadTests : IAsyncLifetime
{
    private readonly GatewayFixture _gw = new();

    public Task InitializeAsync() => _gw.InitializeAsync();

    public Task DisposeAsync() => _gw.DisposeAsync();

    [Fact]
    public async Task Requests_DuringRepeatedReloads_AllAnsweredByOneSnapshotOrTheOther()
    {
        var token = _gw.Issuer.Mint("reader-bot");
        using var stop = new CancellationTokenSource();
        var swapped = 0;
        var reloads = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                // Alternate between the original policies and a set that also forbids ticket 42.
                var extra = n++ % 2 == 0 ? "\n@id(\"no-42\")\nforbid (principal, action, resource == Mandate::Ticket::\"42\");\n" : "";
                await File.WriteAllTextAsync(_gw.PolicyFile, GatewayFiles.Policies + extra);
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gw.ControlPlane, "/v1/reload"));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFiles.AdminToken);
                using var response = await _gw.Client.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Interlocked.Increment(ref swapped);
            }

            return n;
        });

        // Bursts of 200 concurrent requests until the reloader has swapped at least twice: on a fast machine one burst
        // can be answered before the second reload (or before the reload task has even started), and then the requests
        // did not run during repeated reloads at all.
        var statuses = new List<HttpStatusCode>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            statuses.AddRange(await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
            {
                using var response = await _gw.GetAsync("/tickets/42", token);
                return response.StatusCode;
            })));
        }
        while (Volatile.Read(ref swapped) < 2 && !reloads.IsCompleted && DateTime.UtcNow < deadline);
        stop.Cancel();
        var reloadCount = await reloads;

        Assert.True(reloadCount > 1);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.Forbidden, s.ToString()));
        Assert.Equal(statuses.Count(s => s == HttpStatusCode.OK), _gw.Upstream.Received.Count);
    }
}
