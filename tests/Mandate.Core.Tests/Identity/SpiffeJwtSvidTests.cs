using Mandate.Core.Identity;
using Mandate.Core.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Mandate.Core.Tests.Identity;

/// <summary>SPIFFE JWT-SVIDs verified against a trust domain bundle served over HTTP or read from a file.</summary>
public sealed class SpiffeJwtSvidTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly HttpClient _http = new();
    private readonly List<AgentAuthenticator> _authenticators = [];
    private readonly List<string> _files = [];
    private TestIssuer _bundleServer = null!;

    public async Task InitializeAsync() => _bundleServer = await TestIssuer.StartAsync("ES256");

    public async Task DisposeAsync()
    {
        foreach (var a in _authenticators)
        {
            a.Dispose();
        }
        foreach (var f in _files)
        {
            File.Delete(f);
        }
        _http.Dispose();
        await _bundleServer.DisposeAsync();
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    private AgentAuthenticator Build(Func<SpiffeTrustDomainOptions, SpiffeTrustDomainOptions>? configure = null)
    {
        var domain = new SpiffeTrustDomainOptions { TrustDomain = "example.org", BundleUrl = _bundleServer.BundleUrl, Audience = "mandate-gw", RequireHttps = false };
        var authenticator = new AgentAuthenticator(new AgentAuthenticatorOptions { TrustDomains = [configure?.Invoke(domain) ?? domain] }, _http, _time);
        _authenticators.Add(authenticator);
        return authenticator;
    }

    private string Svid(string sub = "spiffe://example.org/agents/triage", object? aud = null, TestSigningKey? key = null)
    {
        var claims = new Dictionary<string, object?>
        {
            ["sub"] = sub,
            ["aud"] = aud ?? new[] { "mandate-gw" },
            ["exp"] = Now.AddMinutes(5).ToUnixTimeSeconds(),
            ["iat"] = Now.ToUnixTimeSeconds(),
        };
        return TestIssuer.Mint(key ?? _bundleServer.Keys[0], claims);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_ValidJwtSvid_ReturnsSpiffeId()
    {
        var result = await Build().AuthenticateBearerAsync(Svid(), default);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("spiffe://example.org/agents/triage", result.Identity.AgentId);
        Assert.Equal("jwt-svid", result.Identity.Method);
        Assert.Equal("spiffe://example.org", result.Identity.Issuer);
        Assert.Null(result.Identity.User);
        Assert.Equal(1, _bundleServer.BundleFetches);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_BundleFromFile_Verifies()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mandate-bundle-{Guid.NewGuid():N}.json");
        _files.Add(path);
        await File.WriteAllTextAsync(path, _bundleServer.KeySetJson("jwt-svid"));

        var result = await Build(d => d with { BundleUrl = null, BundlePath = path }).AuthenticateBearerAsync(Svid(), default);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(0, _bundleServer.BundleFetches);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_BundleKeysWithoutJwtSvidUse_AreNotTrusted()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mandate-bundle-{Guid.NewGuid():N}.json");
        _files.Add(path);
        await File.WriteAllTextAsync(path, _bundleServer.KeySetJson("x509-svid"));

        var result = await Build(d => d with { BundleUrl = null, BundlePath = path }).AuthenticateBearerAsync(Svid(), default);

        Assert.Equal("jwks_unavailable", result.Error?.Code);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_OtherTrustDomain_FailsUnknownIssuer()
    {
        var result = await Build().AuthenticateBearerAsync(Svid("spiffe://evil.org/agents/triage"), default);
        Assert.Equal("unknown_issuer", result.Error?.Code);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_WrongAudience_FailsWrongAudience()
    {
        var result = await Build().AuthenticateBearerAsync(Svid(aud: new[] { "someone-else" }), default);
        Assert.Equal("wrong_audience", result.Error?.Code);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_MultipleAudiencesContainingExpected_Succeeds()
    {
        var result = await Build().AuthenticateBearerAsync(Svid(aud: new[] { "other", "mandate-gw" }), default);
        Assert.True(result.IsSuccess, result.ToString());
    }

    [Fact]
    public async Task AuthenticateBearerAsync_SingleStringAudience_Succeeds()
    {
        var result = await Build().AuthenticateBearerAsync(Svid(aud: "mandate-gw"), default);
        Assert.True(result.IsSuccess, result.ToString());
    }

    [Theory]
    [InlineData("spiffe://example.org/a/../b")]
    [InlineData("spiffe://example.org/a//b")]
    [InlineData("spiffe://example.org/a/")]
    [InlineData("spiffe://Example.org/a")]
    [InlineData("spiffe://example.org:8080/a")]
    [InlineData("spiffe://example.org/a?b=c")]
    [InlineData("spiffe://example.org")]
    public async Task AuthenticateBearerAsync_InvalidSpiffeId_FailsSpiffeIdInvalid(string sub)
    {
        var result = await Build().AuthenticateBearerAsync(Svid(sub), default);
        Assert.Equal("spiffe_id_invalid", result.Error?.Code);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_SignedByKeyOutsideBundle_Fails()
    {
        using var attacker = TestSigningKey.Create("ES256", _bundleServer.Keys[0].KeyId);
        var result = await Build().AuthenticateBearerAsync(Svid(key: attacker), default);
        Assert.Equal("bad_signature", result.Error?.Code);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_ExpiredSvid_FailsExpired()
    {
        var authenticator = Build();
        var token = Svid();
        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal("expired", (await authenticator.AuthenticateBearerAsync(token, default)).Error?.Code);
    }

    [Theory]
    [InlineData("spiffe://example.org/agents/triage", true)]
    [InlineData("spiffe://example.org", true)]
    [InlineData("spiffe://a-b_c.d0/x.y-z_Q/9", true)]
    [InlineData("SPIFFE://example.org/a", false)]
    [InlineData("spiffe:///a", false)]
    [InlineData("spiffe://user@example.org/a", false)]
    [InlineData("spiffe://example.org/a#f", false)]
    [InlineData("spiffe://example.org/./a", false)]
    [InlineData("spiffe://exa%41mple.org/a", false)]
    [InlineData("https://example.org/a", false)]
    public void TryParse_SpiffeIds_FollowsTheSpecification(string value, bool valid)
    {
        Assert.Equal(valid, SpiffeId.TryParse(value) is not null);
    }
}
