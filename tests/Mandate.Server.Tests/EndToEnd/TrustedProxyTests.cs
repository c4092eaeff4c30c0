using System.Net;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.EndToEnd;

/// <summary>Behind a configured trusted proxy, its X-Forwarded-For names the client, and decisions use that address.</summary>
public sealed class TrustedProxyTests : IAsyncLifetime
{
    private readonly GatewayFixture _gw = new() { EditConfig = text => text + "\ntrustedProxies: [ 127.0.0.1 ]\n" };

    public Task InitializeAsync() => _gw.InitializeAsync();

    public Task DisposeAsync() => _gw.DisposeAsync();

    [Fact]
    public async Task Get_ClientBehindTrustedProxyInBlockedNetwork_DeniedByIpPolicy()
    {
        using var response = await _gw.GetAsync("/tickets/1", _gw.Issuer.Mint("reader-bot"), ("X-Forwarded-For", "10.1.2.3"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("requests from 10.0.0.0/8 are blocked", await response.Content.ReadAsStringAsync());
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_ClientBehindTrustedProxy_UpstreamSeesClientAddressOnly()
    {
        using var response = await _gw.GetAsync("/tickets/1", _gw.Issuer.Mint("reader-bot"), ("X-Forwarded-For", "10.9.9.9, 203.0.113.9"));

        // The right-most untrusted hop is the client; anything left of it is the client's own claim.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("203.0.113.9", Assert.Single(_gw.Upstream.Received).Header("X-Forwarded-For"));
    }
}
