namespace Mandate.Server.Tests.Flow;

/// <summary>
/// Behind a trusted proxy every front takes the client address from <c>X-Forwarded-For</c> the same way (the right-most
/// untrusted hop), so the decision records of one client agree whatever the front; the token endpoint included.
/// </summary>
public sealed class ClientAddressTests
{
    private const string Echo = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}""";

    [Fact]
    public async Task BehindTrustedProxy_EveryFrontRecordsTheForwardedClient()
    {
        await using var f = await OneFlowFixture.StartAsync(behindTrustedProxy: true);
        var token = f.AgentToken("agent-a");
        const string forwarded = "10.9.9.9, 203.0.113.7";

        using var http = await f.ProxyAsync(HttpMethod.Get, "/tickets/1", token, forwarded);
        using var mcp = await f.McpAsync(token, Echo, forwarded);
        using var exchange = await f.ExchangeAsync(token, null, forwardedFor: forwarded);

        foreach (var response in new[] { http, mcp, exchange })
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            var record = Assert.Single(await f.RecordsAsync(response.Headers.GetValues("X-Mandate-Decision-Id").Single()), r => r.Kind == "decision");
            Assert.Equal("203.0.113.7", record.Details["ip"]);
        }
    }

    [Fact]
    public async Task WithoutTrustedProxy_TheTokenEndpointIgnoresForwardedFor()
    {
        await using var f = await OneFlowFixture.StartAsync();
        using var exchange = await f.ExchangeAsync(f.AgentToken("agent-a"), null, forwardedFor: "203.0.113.7");

        Assert.True(exchange.IsSuccessStatusCode, await exchange.Content.ReadAsStringAsync());
        var record = Assert.Single(await f.RecordsAsync(exchange.Headers.GetValues("X-Mandate-Decision-Id").Single()), r => r.Kind == "decision");
        Assert.Equal("127.0.0.1", record.Details["ip"]);
    }
}
