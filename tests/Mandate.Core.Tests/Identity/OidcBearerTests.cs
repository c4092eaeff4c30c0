using System.Security.Cryptography;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Mandate.Core.Identity;
using Mandate.Core.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Mandate.Core.Tests.Identity;

/// <summary>OIDC JWT bearer identification against a real issuer over HTTP.</summary>
public sealed class OidcBearerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly HttpClient _http = new();
    private TestIssuer _issuer = null!;
    private readonly List<AgentAuthenticator> _authenticators = [];

    public async Task InitializeAsync() => _issuer = await TestIssuer.StartAsync("ES256", "RS256", "PS256", "EdDSA");

    public async Task DisposeAsync()
    {
        foreach (var a in _authenticators)
        {
            a.Dispose();
        }
        _http.Dispose();
        await _issuer.DisposeAsync();
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    private AgentAuthenticator Build(Func<OidcIssuerOptions, OidcIssuerOptions>? configure = null, int cacheCapacity = 100_000)
    {
        var issuer = new OidcIssuerOptions { Issuer = _issuer.Issuer, Audiences = ["mandate"], RequireHttps = false };
        var authenticator = new AgentAuthenticator(
            new AgentAuthenticatorOptions { Issuers = [configure?.Invoke(issuer) ?? issuer], VerifiedTokenCacheCapacity = cacheCapacity },
            _http, _time);
        _authenticators.Add(authenticator);
        return authenticator;
    }

    private TestSigningKey Key(string alg) => _issuer.Keys.First(k => k.Algorithm == alg);

    private string Token(string alg = "ES256", Action<Dictionary<string, object?>>? claims = null, IDictionary<string, object?>? header = null)
    {
        var c = _issuer.Claims(Now);
        claims?.Invoke(c);
        return TestIssuer.Mint(Key(alg), c, header);
    }

    private static void AssertFails(IdentityResult result, string code)
    {
        Assert.False(result.IsSuccess, $"expected {code} but succeeded");
        Assert.Equal(code, result.Error!.Code);
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    [InlineData("PS256")]
    [InlineData("EdDSA")]
    public async Task AuthenticateBearerAsync_ValidTokenPerAlgorithm_ReturnsAgent(string alg)
    {
        var result = await Build().AuthenticateBearerAsync(Token(alg, c => c["scope"] = "read write"), default);

        Assert.True(result.IsSuccess, result.ToString());
        var identity = result.Identity;
        Assert.Equal("agent-1", identity.AgentId);
        Assert.Equal("oidc", identity.Method);
        Assert.Equal(_issuer.Issuer, identity.Issuer);
        Assert.Equal("agent-1", identity.Subject);
        Assert.Null(identity.User);
        Assert.Empty(identity.DelegationChain);
        Assert.Equal(["read", "write"], identity.Scopes);
        Assert.NotNull(identity.TokenId);
        Assert.Equal(Now.AddMinutes(5).ToUnixTimeSeconds(), identity.ExpiresAt.ToUnixTimeSeconds());
        Assert.Equal("agent-1", identity.Claims.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task AuthenticateBearerAsync_TokenFromJsonWebTokenHandler_IsAccepted()
    {
        // Interop: a token minted by IdentityModel itself, not by our test minting code.
        var key = Key("RS256");
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var token = handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = _issuer.Issuer,
            Audience = "mandate",
            Claims = new Dictionary<string, object> { ["sub"] = "agent-x" },
            IssuedAt = Now.UtcDateTime,
            NotBefore = Now.UtcDateTime,
            Expires = Now.AddMinutes(5).UtcDateTime,
            SigningCredentials = new(new Microsoft.IdentityModel.Tokens.RsaSecurityKey(key.Rsa) { KeyId = key.KeyId }, "RS256"),
        });

        var result = await Build().AuthenticateBearerAsync(token, default);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("agent-x", result.Identity.AgentId);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_Expired_FailsExpired()
    {
        var token = Token(claims: c => c["exp"] = Now.AddSeconds(-31).ToUnixTimeSeconds());
        AssertFails(await Build().AuthenticateBearerAsync(token, default), "expired");
    }

    [Fact]
    public async Task AuthenticateBearerAsync_ExpiredWithinSkew_Succeeds()
    {
        var token = Token(claims: c => c["exp"] = Now.AddSeconds(-20).ToUnixTimeSeconds());
        Assert.True((await Build().AuthenticateBearerAsync(token, default)).IsSuccess);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_NotBeforeInFuture_FailsNotYetValid()
    {
        var token = Token(claims: c => c["nbf"] = Now.AddMinutes(2).ToUnixTimeSeconds());
        AssertFails(await Build().AuthenticateBearerAsync(token, default), "not_yet_valid");
    }

    [Fact]
    public async Task AuthenticateBearerAsync_IssuedInFuture_FailsIssuedInFuture()
    {
        var token = Token(claims: c => c["iat"] = Now.AddMinutes(2).ToUnixTimeSeconds());
        AssertFails(await Build().AuthenticateBearerAsync(token, default), "issued_in_future");
    }

    [Fact]
    public async Task AuthenticateBearerAsync_UnknownIssuer_FailsUnknownIssuer()
    {
        var token = Token(claims: c => c["iss"] = "https://evil.example");
        AssertFails(await Build().AuthenticateBearerAsync(token, default), "unknown_issuer");
    }

    [Fact]
    public async Task AuthenticateBearerAsync_WrongAudience_FailsWrongAudience()
    {
        var token = Token(claims: c => c["aud"] = new[] { "someone-else", "another" });
        AssertFails(await Build().AuthenticateBearerAsync(token, default), "wrong_audience");
    }

    [Fact]
    public async Task AuthenticateBearerAsync_AudienceArrayContainingOurs_Succeeds()
    {
        var token = Token(claims: c => c["aud"] = new[] { "someone-else", "mandate" });
        Assert.True((await Build().AuthenticateBearerAsync(token, default)).IsSuccess);
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("aud")]
    [InlineData("sub")]
    public async Task AuthenticateBearerAsync_MissingRequiredClaim_FailsMissingClaim(string claim)
    {
        var token = Token(claims: c => c.Remove(claim));
        AssertFails(await Build().AuthenticateBearerAsync(token, default), "missing_claim");
    }

    [Fact]
    public async Task AuthenticateBearerAsync_AlgNone_FailsAlgNotAllowed()
    {
        var header = JsonSerializer.Serialize(new { alg = "none", typ = "JWT" });
        var token = TestIssuer.MintRaw(header, JsonSerializer.Serialize(_issuer.Claims(Now)), _ => []);
        Assert.EndsWith(".", token);
        AssertFails(await Build().AuthenticateBearerAsync(token, default), "alg_not_allowed");
    }

    [Fact]
    public async Task AuthenticateBearerAsync_Hs256SignedWithRsaPublicKey_FailsAlgNotAllowed()
    {
        // The classic key-confusion attack: HMAC keyed with the issuer's public key bytes.
        var rsa = Key("RS256");
        var secrets = new[] { rsa.Rsa!.ExportSubjectPublicKeyInfo(), Encoding.ASCII.GetBytes(rsa.Rsa.ExportSubjectPublicKeyInfoPem()), rsa.Rsa.ExportRSAPublicKey() };
        var authenticator = Build(o => o with { Algorithms = ["RS256"] });
        foreach (var secret in secrets)
        {
            var header = JsonSerializer.Serialize(new { alg = "HS256", typ = "JWT", kid = rsa.KeyId });
            var token = TestIssuer.MintRaw(header, JsonSerializer.Serialize(_issuer.Claims(Now)), data => HMACSHA256.HashData(secret, data));
            AssertFails(await authenticator.AuthenticateBearerAsync(token, default), "alg_not_allowed");
        }
    }

    [Fact]
    public async Task AuthenticateBearerAsync_EmbeddedJwkOfAttacker_FailsUntrustedKeySource()
    {
        using var attacker = TestSigningKey.Create("ES256", Key("ES256").KeyId);
        var token = TestIssuer.Mint(attacker, _issuer.Claims(Now), new Dictionary<string, object?> { ["jwk"] = attacker.PublicJwk() });
        AssertFails(await Build().AuthenticateBearerAsync(token, default), "untrusted_key_source");
    }

    [Fact]
    public async Task AuthenticateBearerAsync_AttackerKeyWithTrustedKid_FailsBadSignature()
    {
        using var attacker = TestSigningKey.Create("ES256", Key("ES256").KeyId);
        var token = TestIssuer.Mint(attacker, _issuer.Claims(Now));
        AssertFails(await Build().AuthenticateBearerAsync(token, default), "bad_signature");
    }

    [Theory]
    [InlineData("jku")]
    [InlineData("x5u")]
    public async Task AuthenticateBearerAsync_RemoteKeyUrlInHeader_FailsUntrustedKeySource(string member)
    {
        var token = Token(header: new Dictionary<string, object?> { [member] = "https://evil.example/keys" });
        AssertFails(await Build().AuthenticateBearerAsync(token, default), "untrusted_key_source");
    }

    [Fact]
    public async Task AuthenticateBearerAsync_CriticalHeader_FailsUnsupportedCrit()
    {
        var token = Token(header: new Dictionary<string, object?> { ["crit"] = new[] { "exp" }, ["exp"] = 1 });
        AssertFails(await Build().AuthenticateBearerAsync(token, default), "unsupported_crit");
    }

    [Theory]
    [InlineData("at+jwt", true)]
    [InlineData("application/at+JWT", true)]
    [InlineData("jwt", true)]
    [InlineData("JOSE", false)]
    [InlineData("dpop+jwt", false)]
    public async Task AuthenticateBearerAsync_TypHeader_AcceptsOnlyJwtTypes(string typ, bool accepted)
    {
        var result = await Build().AuthenticateBearerAsync(Token(header: new Dictionary<string, object?> { ["typ"] = typ }), default);
        if (accepted)
        {
            Assert.True(result.IsSuccess, result.ToString());
        }
        else
        {
            AssertFails(result, "wrong_typ");
        }
    }

    [Fact]
    public async Task AuthenticateBearerAsync_AlgNotInIssuerAllowList_FailsAlgNotAllowed()
    {
        AssertFails(await Build(o => o with { Algorithms = ["ES256"] }).AuthenticateBearerAsync(Token("RS256"), default), "alg_not_allowed");
    }

    [Fact]
    public async Task AuthenticateBearerAsync_RsaKeyPublishedForPs256UsedWithRs256_FailsAlgNotAllowed()
    {
        // The JWK says alg PS256; a PKCS#1 v1.5 signature by the same key must not be accepted.
        var ps = Key("PS256");
        var token = TestIssuer.Mint(ps, _issuer.Claims(Now), new Dictionary<string, object?> { ["alg"] = "RS256" });
        AssertFails(await Build().AuthenticateBearerAsync(token, default), "alg_not_allowed");
    }

    [Fact]
    public async Task AuthenticateBearerAsync_UnknownKidAfterRotation_RefreshesOnceAndSucceeds()
    {
        var authenticator = Build(o => o with { MinRefreshInterval = TimeSpan.FromSeconds(30) });
        Assert.True((await authenticator.AuthenticateBearerAsync(Token(), default)).IsSuccess);
        Assert.Equal(1, _issuer.JwksFetches);

        var rotated = _issuer.Rotate("ES256");
        _time.Advance(TimeSpan.FromSeconds(31));
        var result = await authenticator.AuthenticateBearerAsync(TestIssuer.Mint(rotated, _issuer.Claims(Now)), default);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(2, _issuer.JwksFetches);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_RepeatedUnknownKids_RefreshIsRateLimited()
    {
        var authenticator = Build();
        Assert.True((await authenticator.AuthenticateBearerAsync(Token(), default)).IsSuccess);
        _time.Advance(TimeSpan.FromMinutes(1));

        var tasks = Enumerable.Range(0, 40).Select(i => authenticator.AuthenticateBearerAsync(
            Token(header: new Dictionary<string, object?> { ["kid"] = "unknown-" + i }), default).AsTask()).ToList();
        var results = await Task.WhenAll(tasks);
        foreach (var _ in Enumerable.Range(0, 20))
        {
            results = [.. results, await authenticator.AuthenticateBearerAsync(Token(header: new Dictionary<string, object?> { ["kid"] = "later" }), default)];
        }

        Assert.All(results, r => AssertFails(r, "unknown_kid"));
        Assert.Equal(2, _issuer.JwksFetches); // the first fetch and at most one refresh for all 60 unknown kids
    }

    [Fact]
    public async Task AuthenticateBearerAsync_ConcurrentColdStart_FetchesOnce()
    {
        var authenticator = Build();
        var token = Token();
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => authenticator.AuthenticateBearerAsync(token, default).AsTask()));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.ToString()));
        Assert.Equal(1, _issuer.DiscoveryFetches);
        Assert.Equal(1, _issuer.JwksFetches);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_OutageWithinStaleness_UsesCachedKeysThenFailsClosedPastIt()
    {
        var authenticator = Build(o => o with { RefreshInterval = TimeSpan.FromMinutes(5), MaxStaleness = TimeSpan.FromMinutes(30), ClockSkew = TimeSpan.Zero });
        Assert.Empty(await authenticator.RefreshKeysAsync(default));
        _issuer.Down = true;

        _time.Advance(TimeSpan.FromMinutes(20)); // refresh due and failing, keys 20 min old: still usable
        var within = await authenticator.AuthenticateBearerAsync(Token(), default);
        Assert.True(within.IsSuccess, within.ToString());
        Assert.True(authenticator.IsReady);

        _time.Advance(TimeSpan.FromMinutes(11)); // keys 31 min old: past the bound
        AssertFails(await authenticator.AuthenticateBearerAsync(Token("RS256"), default), "jwks_stale");
        Assert.False(authenticator.IsReady);

        _issuer.Down = false;
        _time.Advance(TimeSpan.FromMinutes(1));
        var recovered = await authenticator.AuthenticateBearerAsync(Token("PS256"), default);
        Assert.True(recovered.IsSuccess, recovered.ToString());
        Assert.True(authenticator.IsReady);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_IssuerDownFromStart_FailsJwksUnavailable()
    {
        _issuer.Down = true;
        var authenticator = Build();
        AssertFails(await authenticator.AuthenticateBearerAsync(Token(), default), "jwks_unavailable");
        Assert.False(authenticator.IsReady);
        Assert.NotEmpty(await authenticator.RefreshKeysAsync(default));
    }

    [Fact]
    public async Task RefreshKeysAsync_WarmUp_MakesReady()
    {
        var authenticator = Build();
        Assert.False(authenticator.IsReady);
        Assert.Empty(await authenticator.RefreshKeysAsync(default));
        Assert.True(authenticator.IsReady);
        Assert.Equal(1, _issuer.JwksFetches);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_ExplicitJwksUrl_SkipsDiscovery()
    {
        var result = await Build(o => o with { JwksUrl = _issuer.JwksUrl }).AuthenticateBearerAsync(Token(), default);
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(0, _issuer.DiscoveryFetches);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_OversizedToken_FailsTokenTooLargeWithoutFetching()
    {
        var token = Token(claims: c => c["pad"] = new string('a', 9000));
        AssertFails(await Build().AuthenticateBearerAsync(token, default), "token_too_large");
        AssertFails(await Build(o => o with { MaxTokenBytes = 1024 }).AuthenticateBearerAsync(Token(claims: c => c["pad"] = new string('a', 1200)), default), "token_too_large");
        Assert.Equal(0, _issuer.JwksFetches);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_DuplicateKeyInHeader_FailsDuplicateJsonKey()
    {
        var key = Key("ES256");
        var header = $$"""{"alg":"ES256","kid":"{{key.KeyId}}","alg":"ES256"}""";
        var token = TestIssuer.MintRaw(header, JsonSerializer.Serialize(_issuer.Claims(Now)), data => key.Sign(data));
        AssertFails(await Build().AuthenticateBearerAsync(token, default), "duplicate_json_key");
    }

    [Fact]
    public async Task AuthenticateBearerAsync_DuplicateKeyInPayload_FailsDuplicateJsonKey()
    {
        var key = Key("ES256");
        var claims = JsonSerializer.Serialize(_issuer.Claims(Now));
        var payload = claims[..^1] + ""","sub":"admin"}""";
        var token = TestIssuer.MintRaw(JsonSerializer.Serialize(new { alg = "ES256", kid = key.KeyId }), payload, data => key.Sign(data));
        AssertFails(await Build().AuthenticateBearerAsync(token, default), "duplicate_json_key");
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("e30.e30.")]
    [InlineData("{\"payload\":\"e30\",\"signatures\":[]}")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.e30.AA==")]
    public async Task AuthenticateBearerAsync_MalformedToken_Fails(string token)
    {
        var result = await Build().AuthenticateBearerAsync(token, default);
        Assert.False(result.IsSuccess);
        Assert.Contains(result.Error!.Code, new[] { "malformed", "missing_token" });
    }

    [Fact]
    public async Task AuthenticateBearerAsync_NonCanonicalBase64Signature_FailsMalformed()
    {
        var token = Token();
        var signature = token[(token.LastIndexOf('.') + 1)..];
        // Flip an unused low bit in the last character: same bytes when decoded leniently, different text.
        var last = signature[^1];
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var tweaked = token[..^1] + alphabet[alphabet.IndexOf(last) ^ 1];
        var result = await Build().AuthenticateBearerAsync(tweaked, default);
        Assert.False(result.IsSuccess);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_ActClaim_MapsUserAgentAndChain()
    {
        var token = Token(claims: c =>
        {
            c["sub"] = "alice@example.com";
            c["act"] = new Dictionary<string, object> { ["sub"] = "agent-b", ["act"] = new Dictionary<string, object> { ["sub"] = "agent-a" } };
            c["scp"] = new[] { "tickets.read", "tickets.write" };
        });

        var result = await Build().AuthenticateBearerAsync(token, default);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("agent-b", result.Identity.AgentId);
        Assert.Equal("alice@example.com", result.Identity.User);
        Assert.Equal("alice@example.com", result.Identity.Subject);
        Assert.Equal(["agent-b", "agent-a"], result.Identity.DelegationChain);
        Assert.Equal(["tickets.read", "tickets.write"], result.Identity.Scopes);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_ActWithoutSub_FailsInvalidClaim()
    {
        var token = Token(claims: c => c["act"] = new Dictionary<string, object> { ["client_id"] = "x" });
        AssertFails(await Build().AuthenticateBearerAsync(token, default), "invalid_claim");
    }

    [Fact]
    public async Task AuthenticateBearerAsync_CustomAgentClaim_UsesIt()
    {
        var token = Token(claims: c => c["client_id"] = "agent-by-client-id");
        var result = await Build(o => o with { AgentClaim = "client_id" }).AuthenticateBearerAsync(token, default);
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("agent-by-client-id", result.Identity.AgentId);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_SecondCall_IsServedFromCacheWithoutVerifying()
    {
        var authenticator = Build();
        var token = Token();
        Assert.True((await authenticator.AuthenticateBearerAsync(token, default)).IsSuccess);
        Assert.Equal(1, authenticator.SignatureChecks);

        _issuer.Down = true;
        var again = await authenticator.AuthenticateBearerAsync(token, default);

        Assert.True(again.IsSuccess, again.ToString());
        Assert.Equal(1, authenticator.SignatureChecks);
        Assert.Equal(1, _issuer.JwksFetches);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_CachedTokenPastExpiry_FailsExpired()
    {
        var authenticator = Build();
        var token = Token(claims: c => c["exp"] = Now.AddSeconds(60).ToUnixTimeSeconds());
        Assert.True((await authenticator.AuthenticateBearerAsync(token, default)).IsSuccess);

        _time.Advance(TimeSpan.FromSeconds(60 + 31));
        AssertFails(await authenticator.AuthenticateBearerAsync(token, default), "expired");
    }

    [Fact]
    public async Task AuthenticateBearerAsync_CachedTokenWhoseKeyWasWithdrawn_IsRejected()
    {
        var authenticator = Build();
        var token = Token();
        Assert.True((await authenticator.AuthenticateBearerAsync(token, default)).IsSuccess);

        _issuer.Rotate("ES256");
        Assert.Empty(await authenticator.RefreshKeysAsync(default));

        AssertFails(await authenticator.AuthenticateBearerAsync(token, default), "unknown_kid");
    }

    [Fact]
    public async Task AuthenticateBearerAsync_CacheDisabled_VerifiesEveryTime()
    {
        var authenticator = Build(cacheCapacity: 0);
        var token = Token();
        await authenticator.AuthenticateBearerAsync(token, default);
        await authenticator.AuthenticateBearerAsync(token, default);
        Assert.Equal(2, authenticator.SignatureChecks);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_DiscoveryNamingAnotherIssuer_FailsJwksUnavailable()
    {
        // Configured issuer string differs from what discovery says (trailing slash): discovery is refused.
        var authenticator = Build(o => o with { Issuer = _issuer.Issuer + "/", DiscoveryUrl = new Uri(_issuer.Issuer + "/.well-known/openid-configuration") });
        var token = Token(claims: c => c["iss"] = _issuer.Issuer + "/");
        AssertFails(await authenticator.AuthenticateBearerAsync(token, default), "jwks_unavailable");
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("none")]
    public void Constructor_SymmetricOrNoneAlgorithmConfigured_Throws(string alg)
    {
        var options = new AgentAuthenticatorOptions
        {
            Issuers = [new OidcIssuerOptions { Issuer = _issuer.Issuer, Audiences = ["mandate"], RequireHttps = false, Algorithms = [alg] }],
        };
        var ex = Assert.Throws<ArgumentException>(() => new AgentAuthenticator(options, _http, _time));
        Assert.Contains(alg, ex.Message);
    }

    [Fact]
    public void Constructor_PlainHttpToRemoteHost_Throws()
    {
        var options = new AgentAuthenticatorOptions
        {
            Issuers =
            [
                new OidcIssuerOptions { Issuer = "http://idp.example.com", Audiences = ["mandate"], RequireHttps = false },
                new OidcIssuerOptions { Issuer = _issuer.Issuer, Audiences = ["mandate"] },
            ],
        };
        var ex = Assert.Throws<ArgumentException>(() => new AgentAuthenticator(options, _http, _time));
        Assert.Contains("idp.example.com", ex.Message);
        Assert.Contains(_issuer.Issuer, ex.Message); // every problem is reported, not just the first
    }

    [Fact]
    public async Task AuthenticateBearerAsync_CacheFull_StillVerifiesWithoutCaching()
    {
        var authenticator = Build(cacheCapacity: 1);
        var first = Token();
        var second = Token();
        Assert.True((await authenticator.AuthenticateBearerAsync(first, default)).IsSuccess);
        Assert.True((await authenticator.AuthenticateBearerAsync(second, default)).IsSuccess);
        Assert.True((await authenticator.AuthenticateBearerAsync(second, default)).IsSuccess);
        Assert.True((await authenticator.AuthenticateBearerAsync(first, default)).IsSuccess);

        // first is cached; second never fit, so it was verified both times.
        Assert.Equal(3, authenticator.SignatureChecks);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_CacheFullOfExpiredTokens_EvictsThem()
    {
        var authenticator = Build(cacheCapacity: 1);
        var shortLived = Token(claims: c => c["exp"] = Now.AddSeconds(10).ToUnixTimeSeconds());
        Assert.True((await authenticator.AuthenticateBearerAsync(shortLived, default)).IsSuccess);
        _time.Advance(TimeSpan.FromMinutes(1));

        var next = Token();
        Assert.True((await authenticator.AuthenticateBearerAsync(next, default)).IsSuccess);
        Assert.True((await authenticator.AuthenticateBearerAsync(next, default)).IsSuccess);

        Assert.Equal(2, authenticator.SignatureChecks);
    }

    [Theory]
    [InlineData("exp", "soon")]
    [InlineData("nbf", "yesterday")]
    [InlineData("iat", -5)]
    public async Task AuthenticateBearerAsync_TimeClaimNotANumericDate_FailsInvalidClaim(string claim, object value)
    {
        var token = Token(claims: c => c[claim] = value);
        AssertFails(await Build().AuthenticateBearerAsync(token, default), "invalid_claim");
    }

    [Fact]
    public void Constructor_TrustDomainWithJwtBundleButNoAudience_Throws()
    {
        var options = new AgentAuthenticatorOptions
        {
            TrustDomains = [new SpiffeTrustDomainOptions { TrustDomain = "example.org", BundlePath = "/nonexistent" }],
        };
        var ex = Assert.Throws<ArgumentException>(() => new AgentAuthenticator(options, _http, _time));
        Assert.Contains("audience", ex.Message);
    }

    [Fact]
    public async Task PeriodicRefresh_IdleGateway_KeepsKeysFreshAndReady()
    {
        var authenticator = Build(o => o with { RefreshInterval = TimeSpan.FromMinutes(5), MaxStaleness = TimeSpan.FromMinutes(10) });
        Assert.Empty(await authenticator.RefreshKeysAsync(default));

        for (var i = 1; i <= 3; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(5));
            await WaitUntil(() => _issuer.JwksFetches >= 1 + i);
            // The issuer counts a fetch when it is asked; the cache takes the keys a little later. Moving the
            // clock before that would make the next tick join the running fetch instead of starting one.
            await WaitUntil(() => !authenticator.RefreshInFlight);
            await WaitUntil(() => authenticator.IsReady);
        }

        _time.Advance(TimeSpan.FromMinutes(4)); // 19 min after warm-up, no request in between: still fresh
        Assert.True(authenticator.IsReady);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_TokenWithoutKid_IsVerifiedWithAFittingKey()
    {
        var result = await Build().AuthenticateBearerAsync(Token("PS256", header: new Dictionary<string, object?> { ["kid"] = null }), default);
        Assert.True(result.IsSuccess, result.ToString());
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        // Real time: the fetch the fake clock started runs over a real socket.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(10);
        }
    }
}
