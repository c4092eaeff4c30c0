using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Mandate.Demo.Tests;

public sealed class DemoIssuerTests : IAsyncLifetime
{
    private DemoIssuer _issuer = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() =>
        _issuer = await DemoIssuer.StartAsync(new DemoIssuerOptions(), TimeProvider.System, CancellationToken.None);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _issuer.DisposeAsync();
    }

    private async Task<TokenValidationResult> ValidateViaDiscoveryAsync(string token)
    {
        var discovery = await _http.GetFromJsonAsync<JsonElement>(_issuer.Issuer + "/.well-known/openid-configuration");
        Assert.Equal(_issuer.Issuer, discovery.GetProperty("issuer").GetString());
        var jwks = new JsonWebKeySet(await _http.GetStringAsync(discovery.GetProperty("jwks_uri").GetString()));
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = _issuer.Issuer,
            ValidAudience = "mandate-demo",
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = ["ES256"],
            ValidTypes = ["at+jwt"],
        });
    }

    [Fact]
    public async Task Mint_DelegatedAgent_VerifiesWithPublishedJwksAndCarriesActClaim()
    {
        var token = _issuer.Mint(DemoAgents.SupportBot, TimeSpan.FromHours(1));

        var result = await ValidateViaDiscoveryAsync(token);

        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("ES256", jwt.Alg);
        Assert.Equal(_issuer.KeyId, jwt.Kid);
        Assert.Equal("alice", jwt.Subject);
        Assert.Equal("support-bot", jwt.GetPayloadValue<JsonElement>("act").GetProperty("sub").GetString());
        Assert.Contains("tickets:write", jwt.GetPayloadValue<string>("scope").Split(' '));
    }

    [Fact]
    public async Task Mint_SelfActingAgent_HasAgentAsSubjectAndNoAct()
    {
        var token = _issuer.Mint(DemoAgents.FinanceAgent, TimeSpan.FromMinutes(5));

        var result = await ValidateViaDiscoveryAsync(token);

        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("finance-agent", jwt.Subject);
        Assert.False(jwt.TryGetPayloadValue<JsonElement>("act", out _));
        Assert.InRange(DemoIssuer.ExpiryOf(token) - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5.1));
    }

    [Fact]
    public void Mint_TwoTokensSameAgent_AreDifferent()
    {
        var a = _issuer.Mint(DemoAgents.InternBot, TimeSpan.FromHours(1));
        var b = _issuer.Mint(DemoAgents.InternBot, TimeSpan.FromHours(1));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task Mint_TokenFromAnotherIssuerInstance_FailsSignatureCheck()
    {
        await using var other = await DemoIssuer.StartAsync(new DemoIssuerOptions(), TimeProvider.System, CancellationToken.None);
        var foreign = other.Mint(DemoAgents.SupportBot, TimeSpan.FromHours(1));
        // Re-sign check: same claims shape, but our JWKS does not hold the other issuer's key.
        var result = await ValidateViaDiscoveryAsync(foreign);
        Assert.False(result.IsValid);
    }
}
