using Mandate.Core.Errors;
using System.Text;
using System.Text.Json;
using Mandate.Core.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static Mandate.Core.Tests.Tokens.TaskTokenFixture;

namespace Mandate.Core.Tests.Tokens;

public class TaskTokenVerifyTests
{
    private static JsonElement Part(string jwt, int index) =>
        JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.Split('.')[index])).RootElement;

    [Fact]
    public async Task IssueAsync_DelegatedForUser_Rfc9068ShapeWithNestedAct()
    {
        await using var f = await CreateAsync();
        var root = await f.RootAsync("agent-a", Grant(scopes: ["tickets.read", "tickets.write"], tools: ["tickets.*"], resources: ["Mandate::Ticket::\"T-1\""], intent: "triage", audiences: ["https://api"]), user: "alice");
        var child = await f.ChildAsync(root, "agent-b", Grant(scopes: ["tickets.read"]));
        var header = Part(child.AccessToken, 0);
        var claims = Part(child.AccessToken, 1);
        Assert.Equal("at+jwt", header.GetProperty("typ").GetString());
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.Equal(f.Service.Keys.Active.KeyId, header.GetProperty("kid").GetString());
        Assert.Equal(Issuer, claims.GetProperty("iss").GetString());
        Assert.Equal("alice", claims.GetProperty("sub").GetString());
        Assert.Equal("agent-b", claims.GetProperty("client_id").GetString());
        Assert.Equal("agent-b", claims.GetProperty("act").GetProperty("sub").GetString());
        Assert.Equal("agent-a", claims.GetProperty("act").GetProperty("act").GetProperty("sub").GetString());
        Assert.Equal("tickets.read", claims.GetProperty("scope").GetString());
        Assert.Equal("https://api", claims.GetProperty("aud").GetString());
        Assert.Equal(child.SessionId, claims.GetProperty("sid").GetString());
        Assert.Equal(child.Jti, claims.GetProperty("jti").GetString());
        Assert.Equal(child.ExpiresAt.ToUnixTimeSeconds(), claims.GetProperty("exp").GetInt64());
        var detail = claims.GetProperty("authorization_details")[0];
        Assert.Equal("agent_task", detail.GetProperty("type").GetString());
        Assert.Equal("triage", detail.GetProperty("intent").GetString());
        Assert.Equal("tickets.*", detail.GetProperty("actions")[0].GetString());
        Assert.False(claims.TryGetProperty("cnf", out _));
        Assert.Equal("Bearer", child.TokenType);

        var p = f.Service.Verify(child.AccessToken, f.Now).Principal!;
        Assert.Equal(["agent-a", "agent-b"], p.Chain);
        Assert.Equal(1, p.Depth);
        Assert.Equal("alice", p.UserId);
        Assert.Equal(root.Jti, p.ParentJti);
        Assert.Equal(root.SessionId, p.ParentSessionId);
    }

    [Fact]
    public async Task IssueAsync_DpopBound_CarriesCnfAndDpopType()
    {
        await using var f = await CreateAsync();
        var token = await f.RootAsync("agent-a", TaskGrant.Empty, jkt: "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I");
        Assert.Equal("DPoP", token.TokenType);
        Assert.Equal("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I", Part(token.AccessToken, 1).GetProperty("cnf").GetProperty("jkt").GetString());
        Assert.Equal("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I", f.Service.Verify(token.AccessToken, f.Now).Principal!.Jkt);
    }

    [Fact]
    public async Task Verify_ActEditedAndResignedWithOurKey_ClaimsMismatch()
    {
        await using var f = await CreateAsync();
        var root = await f.RootAsync("agent-a", TaskGrant.Empty, user: "alice");
        var child = await f.ChildAsync(root, "agent-b", TaskGrant.Empty);
        var p = f.Service.Verify(child.AccessToken, f.Now).Principal!;
        // Same record, but the act claim claims a different chain (agent-x instead of agent-a).
        var forged = TaskTokenClaims.Sign(f.Service.Keys.Active, TaskTokenClaims.Payload(Issuer, "alice", "agent-b", ["agent-x", "agent-b"],
            p.SessionId, p.Grant.Scopes, p.Grant.Audiences, p.Grant, p.IssuedAt, p.ExpiresAt, p.Jti, null));
        var check = f.Service.Verify(forged, f.Now);
        Assert.False(check.Ok);
        Assert.Equal(ErrorCatalogue.TokenClaimsMismatch, check.Error!.Code);
        Assert.Equal(401, check.Error.Code.HttpStatus);
    }

    [Fact]
    public async Task Verify_ActWithExtraMember_ClaimsMismatch()
    {
        await using var f = await CreateAsync();
        var root = await f.RootAsync("agent-a", TaskGrant.Empty);
        var p = f.Service.Verify(root.AccessToken, f.Now).Principal!;
        var claims = System.Text.Json.Nodes.JsonNode.Parse(TaskTokenClaims.Payload(Issuer, "agent-a", "agent-a", ["agent-a"], p.SessionId, [], p.Grant.Audiences, p.Grant, p.IssuedAt, p.ExpiresAt, p.Jti, null))!;
        claims["act"] = System.Text.Json.Nodes.JsonNode.Parse("""{"sub":"agent-a","act":{"sub":"agent-z"}}""");
        Assert.Equal(ErrorCatalogue.TokenClaimsMismatch, f.Service.Verify(TaskTokenClaims.Sign(f.Service.Keys.Active, claims.ToJsonString()), f.Now).Error!.Code);
    }

    [Fact]
    public async Task Verify_PayloadTampered_BadSignature()
    {
        await using var f = await CreateAsync();
        var token = await f.RootAsync("agent-a", Grant(scopes: ["read"]));
        var parts = token.AccessToken.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"read\"", "\"admin\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
        Assert.Equal(ErrorCatalogue.TokenBadSignature, f.Service.Verify(tampered, f.Now).Error!.Code);
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData(null)]
    public async Task Verify_SignedByUsButNotAtJwt_NotTaskToken(string? typ)
    {
        await using var f = await CreateAsync();
        var token = await f.RootAsync("agent-a", TaskGrant.Empty);
        var claims = Part(token.AccessToken, 1);
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = claims.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value.Clone()),
            SigningCredentials = f.Service.Keys.Active.Credentials,
        };
        string idToken;
        if (typ is null)
        {
            // Build by hand: IdentityModel always writes a typ.
            var header = Base64UrlEncoder.Encode($$"""{"alg":"ES256","kid":"{{f.Service.Keys.Active.KeyId}}"}""");
            var body = token.AccessToken.Split('.')[1];
            var sig = f.Service.Keys.Active.Credentials.Key is ECDsaSecurityKey ec
                ? ec.ECDsa.SignData(Encoding.ASCII.GetBytes(header + "." + body), System.Security.Cryptography.HashAlgorithmName.SHA256)
                : throw new InvalidOperationException();
            idToken = $"{header}.{body}.{Base64UrlEncoder.Encode(sig)}";
        }
        else
        {
            descriptor.TokenType = typ;
            idToken = handler.CreateToken(descriptor);
        }
        var check = f.Service.Verify(idToken, f.Now);
        Assert.Equal(ErrorCatalogue.TokenNotTaskToken, check.Error!.Code);
    }

    [Fact]
    public async Task Verify_TokenOfAnotherIssuer_NotTaskToken()
    {
        await using var ours = await CreateAsync();
        await using var theirs = await CreateAsync();
        var foreign = await theirs.RootAsync("agent-a", TaskGrant.Empty);
        Assert.Equal(ErrorCatalogue.TokenNotTaskToken, ours.Service.Verify(foreign.AccessToken, ours.Now).Error!.Code);
    }

    [Fact]
    public async Task Verify_SignedByUsButOtherIss_NotTaskToken()
    {
        await using var f = await CreateAsync();
        var root = await f.RootAsync("agent-a", TaskGrant.Empty);
        var p = f.Service.Verify(root.AccessToken, f.Now).Principal!;
        var other = TaskTokenClaims.Sign(f.Service.Keys.Active, TaskTokenClaims.Payload("https://evil.test", "agent-a", "agent-a", ["agent-a"],
            p.SessionId, [], p.Grant.Audiences, p.Grant, p.IssuedAt, p.ExpiresAt, p.Jti, null));
        Assert.Equal(ErrorCatalogue.TokenNotTaskToken, f.Service.Verify(other, f.Now).Error!.Code);
    }

    [Fact]
    public async Task Verify_Expired_ExpiredAfterSkew()
    {
        await using var f = await CreateAsync();
        var token = await f.RootAsync("agent-a", TaskGrant.Empty, lifetime: TimeSpan.FromMinutes(1));
        f.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.True(f.Service.Verify(token.AccessToken, f.Now).Ok); // inside the 5 s skew
        f.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(ErrorCatalogue.TokenExpired, f.Service.Verify(token.AccessToken, f.Now).Error!.Code);
    }

    [Fact]
    public async Task Verify_SignedByUsWithUnknownJti_Unknown()
    {
        await using var f = await CreateAsync();
        var root = await f.RootAsync("agent-a", TaskGrant.Empty);
        var p = f.Service.Verify(root.AccessToken, f.Now).Principal!;
        var unknown = TaskTokenClaims.Sign(f.Service.Keys.Active, TaskTokenClaims.Payload(Issuer, "agent-a", "agent-a", ["agent-a"],
            p.SessionId, [], p.Grant.Audiences, p.Grant, p.IssuedAt, p.ExpiresAt, "never-issued", null));
        Assert.Equal(ErrorCatalogue.TokenUnknown, f.Service.Verify(unknown, f.Now).Error!.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a token")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.e30.")]
    public async Task Verify_Garbage_Refused(string token)
    {
        await using var f = await CreateAsync();
        var check = f.Service.Verify(token, f.Now);
        Assert.False(check.Ok);
        Assert.Equal(401, check.Error!.Code.HttpStatus);
    }

    [Fact]
    public async Task Verify_GrandChildOfExpiredChainMember_Refused()
    {
        await using var f = await CreateAsync();
        var root = await f.RootAsync("agent-a", TaskGrant.Empty, lifetime: TimeSpan.FromMinutes(10));
        var child = await f.ChildAsync(root, "agent-b", TaskGrant.Empty, TimeSpan.FromMinutes(10));
        Assert.Equal(root.ExpiresAt, child.ExpiresAt);
        f.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.False(f.Service.Verify(child.AccessToken, f.Now).Ok);
    }

    [Fact]
    public async Task Introspect_ValidAndRevoked_Rfc7662()
    {
        await using var f = await CreateAsync();
        var root = await f.RootAsync("agent-a", Grant(scopes: ["read"], intent: "triage"), user: "alice");
        var child = await f.ChildAsync(root, "agent-b", TaskGrant.Empty);
        var active = JsonDocument.Parse(f.Service.Introspect(child.AccessToken, f.Now)).RootElement;
        Assert.True(active.GetProperty("active").GetBoolean());
        Assert.Equal("read", active.GetProperty("scope").GetString());
        Assert.Equal("alice", active.GetProperty("sub").GetString());
        Assert.Equal("agent-b", active.GetProperty("client_id").GetString());
        Assert.Equal("agent-a", active.GetProperty("act").GetProperty("act").GetProperty("sub").GetString());
        Assert.Equal(child.SessionId, active.GetProperty("sid").GetString());
        Assert.Equal("Bearer", active.GetProperty("token_type").GetString());
        Assert.Equal("triage", active.GetProperty("authorization_details")[0].GetProperty("intent").GetString());
        await f.Service.RevokeAsync(RevocationTarget.Token(root.Jti), "test");
        Assert.Equal("""{"active":false}""", f.Service.Introspect(child.AccessToken, f.Now));
        Assert.Equal("""{"active":false}""", f.Service.Introspect("garbage", f.Now));
    }

    [Fact]
    public async Task MintDownstream_NarrowsAudienceScopeAndExpiry_NotAcceptedBack()
    {
        await using var f = await CreateAsync();
        var token = await f.RootAsync("agent-a", Grant(scopes: ["read", "write"]), user: "alice", lifetime: TimeSpan.FromMinutes(2));
        var p = f.Service.Verify(token.AccessToken, f.Now).Principal!;
        var down = f.Service.MintDownstream(p, "https://upstream.test", ["read", "admin"], TimeSpan.FromMinutes(30), f.Now);
        var claims = Part(down.AccessToken, 1);
        Assert.Equal("https://upstream.test", claims.GetProperty("aud").GetString());
        Assert.Equal("read", claims.GetProperty("scope").GetString());
        Assert.Equal(["read"], down.Scopes);
        Assert.Equal(token.ExpiresAt, down.ExpiresAt);
        Assert.Equal("alice", claims.GetProperty("sub").GetString());
        Assert.NotEqual(token.Jti, claims.GetProperty("jti").GetString());
        Assert.Equal(ErrorCatalogue.TokenUnknown, f.Service.Verify(down.AccessToken, f.Now).Error!.Code);
        var shortOne = f.Service.MintDownstream(p, "https://upstream.test", [], TimeSpan.FromSeconds(30), f.Now);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds((f.Now + TimeSpan.FromSeconds(30)).ToUnixTimeSeconds()), shortOne.ExpiresAt);
        Assert.Equal(["read", "write"], shortOne.Scopes);
    }

    [Theory]
    [InlineData("tickets.read", "Mandate::Ticket::\"T-1\"", true)]
    [InlineData("tickets.write", "Mandate::Ticket::\"T-1\"", false)]
    [InlineData("tickets.read", "Mandate::Ticket::\"T-2\"", false)]
    [InlineData("mcp.tools.call:github/list", "https://api.test/repos/acme/x", true)]
    [InlineData("tickets.read", null, false)]
    public async Task ToSessionFacts_InTaskRule(string action, string? resource, bool inTask)
    {
        await using var f = await CreateAsync();
        var token = await f.RootAsync("agent-a", Grant(tools: ["tickets.read", "mcp.tools.call:github/*"], resources: ["Mandate::Ticket::\"T-1\"", "https://api.test/repos/acme/*"], intent: "triage"));
        var p = f.Service.Verify(token.AccessToken, f.Now).Principal!;
        var facts = p.ToSessionFacts(action, resource);
        Assert.Equal(inTask, facts.InTask);
        Assert.Equal(token.SessionId, facts.Id);
        Assert.Equal("triage", facts.Intent);
        Assert.Equal("", facts.Parent);
        Assert.Equal(0, facts.Depth);
    }

    [Fact]
    public async Task ToSessionFacts_EmptyToolsAndResources_EverythingInTask()
    {
        await using var f = await CreateAsync();
        var token = await f.RootAsync("agent-a", TaskGrant.Empty);
        Assert.True(f.Service.Verify(token.AccessToken, f.Now).Principal!.ToSessionFacts("anything", null).InTask);
    }

    [Fact]
    public void AuthorizationServerMetadata_ListsTokenExchangeAndAgentTask()
    {
        var json = JsonDocument.Parse(AuthorizationServerMetadata.ToJson(Issuer, Issuer + "/oauth/token", Issuer + "/.well-known/jwks.json",
            Issuer + "/oauth/introspect", Issuer + "/oauth/revoke")).RootElement;
        Assert.Equal(Issuer, json.GetProperty("issuer").GetString());
        Assert.Contains(json.GetProperty("grant_types_supported").EnumerateArray(), e => e.GetString() == "urn:ietf:params:oauth:grant-type:token-exchange");
        Assert.Contains(json.GetProperty("authorization_details_types_supported").EnumerateArray(), e => e.GetString() == "agent_task");
        Assert.Equal(Issuer + "/oauth/revoke", json.GetProperty("revocation_endpoint").GetString());
    }
}

public class TaskTokenVerifyFullPathTests
{
    // Order of the P-256 group: (r, n - s) is the other valid signature of the same message.
    private static readonly System.Numerics.BigInteger P256Order = System.Numerics.BigInteger.Parse(
        "115792089210356248762697446949407573529996955224135760342422259061068512044369", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Verify_OtherValidSignatureOfSameClaims_FullPathAcceptsIt()
    {
        await using var f = await TaskTokenFixture.CreateAsync();
        var root = await f.RootAsync("agent-a", TaskGrant.Empty, user: "alice");
        var child = await f.ChildAsync(root, "agent-b", TaskGrant.Empty);
        var parts = child.AccessToken.Split('.');
        var sig = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[2]);
        var s = new System.Numerics.BigInteger(sig.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var flipped = (P256Order - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        var newSig = new byte[64];
        sig.AsSpan(0, 32).CopyTo(newSig);
        flipped.CopyTo(newSig.AsSpan(64 - flipped.Length));
        var variant = $"{parts[0]}.{parts[1]}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(newSig)}";
        Assert.NotEqual(child.AccessToken, variant);
        // Not the recorded text, so the full path runs: signature, claims against the record, act, chain.
        var check = f.Service.Verify(variant, f.Now);
        Assert.True(check.Ok, check.Error?.ToString());
        Assert.Equal(child.Jti, check.Principal!.Jti);
        await f.Service.RevokeAsync(RevocationTarget.Token(root.Jti), "x");
        Assert.Equal(ErrorCatalogue.TokenRevoked, f.Service.Verify(variant, f.Now).Error!.Code);
    }
}
