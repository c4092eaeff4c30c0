using Mandate.Core.Errors;
using System.Text.Json;
using Mandate.Core.Tokens;
using static Mandate.Core.Tests.Tokens.TaskTokenFixture;

namespace Mandate.Core.Tests.Tokens;

public class TaskTokenRevocationTests
{
    [Fact]
    public async Task RevokeAsync_Parent_ChildRefusedOnNextVerify()
    {
        await using var f = await CreateAsync();
        var a = await f.RootAsync("agent-a", Grant(scopes: ["read", "write"]), user: "alice");
        var b = await f.ChildAsync(a, "agent-b", Grant(scopes: ["read"]));
        var c = await f.ChildAsync(b, "agent-c", TaskGrant.Empty);
        var sibling = await f.RootAsync("agent-a", TaskGrant.Empty, user: "alice");
        Assert.True(f.Service.Verify(c.AccessToken, f.Now).Ok);

        var revoked = await f.Service.RevokeAsync(RevocationTarget.Token(a.Jti), "compromised");

        Assert.Equal(3, revoked);
        Assert.Equal(ErrorCatalogue.TokenRevoked, f.Service.Verify(a.AccessToken, f.Now).Error!.Code);
        Assert.Equal(ErrorCatalogue.TokenRevoked, f.Service.Verify(b.AccessToken, f.Now).Error!.Code);
        Assert.Equal(ErrorCatalogue.TokenRevoked, f.Service.Verify(c.AccessToken, f.Now).Error!.Code);
        Assert.True(f.Service.Verify(sibling.AccessToken, f.Now).Ok);
    }

    [Fact]
    public async Task RevokeAsync_MiddleOfChain_OnlyItAndBelow()
    {
        await using var f = await CreateAsync();
        var a = await f.RootAsync("agent-a", TaskGrant.Empty);
        var b = await f.ChildAsync(a, "agent-b", TaskGrant.Empty);
        var c = await f.ChildAsync(b, "agent-c", TaskGrant.Empty);
        Assert.Equal(2, await f.Service.RevokeAsync(RevocationTarget.Token(b.Jti), "x"));
        Assert.True(f.Service.Verify(a.AccessToken, f.Now).Ok);
        Assert.False(f.Service.Verify(c.AccessToken, f.Now).Ok);
    }

    [Fact]
    public async Task EndSessionAsync_EndsItAndChildSessions()
    {
        await using var f = await CreateAsync();
        var a = await f.RootAsync("agent-a", TaskGrant.Empty);
        var b = await f.ChildAsync(a, "agent-b", TaskGrant.Empty);
        var other = await f.RootAsync("agent-a", TaskGrant.Empty);
        Assert.Equal(a.SessionId, f.Service.FindSession(b.SessionId)!.ParentId);
        Assert.Equal(2, await f.Service.EndSessionAsync(a.SessionId));
        Assert.False(f.Service.Verify(a.AccessToken, f.Now).Ok);
        Assert.False(f.Service.Verify(b.AccessToken, f.Now).Ok);
        Assert.True(f.Service.Verify(other.AccessToken, f.Now).Ok);
    }

    [Fact]
    public async Task RevokeAsync_Agent_EveryTokenWithItInTheChain_LaterExchangeUnaffected()
    {
        await using var f = await CreateAsync();
        var a = await f.RootAsync("agent-a", TaskGrant.Empty);
        var b = await f.ChildAsync(a, "agent-b", TaskGrant.Empty);
        var c = await f.ChildAsync(b, "agent-c", TaskGrant.Empty);
        var unrelated = await f.RootAsync("agent-x", TaskGrant.Empty);
        Assert.Equal(2, await f.Service.RevokeAsync(RevocationTarget.Agent("agent-b"), "x"));
        Assert.True(f.Service.Verify(a.AccessToken, f.Now).Ok);
        Assert.False(f.Service.Verify(b.AccessToken, f.Now).Ok);
        Assert.False(f.Service.Verify(c.AccessToken, f.Now).Ok);
        Assert.True(f.Service.Verify(unrelated.AccessToken, f.Now).Ok);
        f.Time.Advance(TimeSpan.FromSeconds(1));
        var again = await f.ChildAsync(a, "agent-b", TaskGrant.Empty);
        Assert.True(f.Service.Verify(again.AccessToken, f.Now).Ok);
    }

    [Fact]
    public async Task RevokeAsync_User_EveryTokenForTheUser()
    {
        await using var f = await CreateAsync();
        var alice1 = await f.RootAsync("agent-a", TaskGrant.Empty, user: "alice");
        var alice2 = await f.ChildAsync(alice1, "agent-b", TaskGrant.Empty);
        var bob = await f.RootAsync("agent-a", TaskGrant.Empty, user: "bob");
        Assert.Equal(2, await f.Service.RevokeAsync(RevocationTarget.User("alice"), "offboarded"));
        Assert.False(f.Service.Verify(alice1.AccessToken, f.Now).Ok);
        Assert.False(f.Service.Verify(alice2.AccessToken, f.Now).Ok);
        Assert.True(f.Service.Verify(bob.AccessToken, f.Now).Ok);
    }

    [Fact]
    public async Task RevokeAsync_ExchangeRacingAgentRevocation_TokenStillRefused()
    {
        await using var f = await CreateAsync();
        // Planned before the revocation, issued after it: issued-at is the plan's, so the agent epoch covers it.
        var plan = f.Service.Plan(new ExchangeInput { Actor = new ExchangeActor("agent-a", "oidc", "x"), ClientId = "agent-a" }, f.Now).Plan!;
        await f.Service.RevokeAsync(RevocationTarget.Agent("agent-a"), "x");
        var token = await f.Service.IssueAsync(plan);
        Assert.Equal(ErrorCatalogue.TokenRevoked, f.Service.Verify(token.AccessToken, f.Now).Error!.Code);
    }

    [Fact]
    public async Task Rotation_OldTokensStayValidUntilExpiry_JwksPublishesBoth()
    {
        await using var f = await CreateAsync(new TaskTokenOptions { Issuer = Issuer, KeyRotation = TimeSpan.FromMinutes(10), MaxLifetime = TimeSpan.FromMinutes(60) });
        var firstKid = f.Service.Keys.Active.KeyId;
        var old = await f.RootAsync("agent-a", TaskGrant.Empty, lifetime: TimeSpan.FromMinutes(60));
        f.Time.Advance(TimeSpan.FromMinutes(11));
        var fresh = await f.RootAsync("agent-a", TaskGrant.Empty);
        var secondKid = f.Service.Keys.Active.KeyId;
        Assert.NotEqual(firstKid, secondKid);
        Assert.True(f.Service.Verify(old.AccessToken, f.Now).Ok);
        Assert.True(f.Service.Verify(fresh.AccessToken, f.Now).Ok);
        var kids = JsonDocument.Parse(f.Service.JwksJson()).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).ToArray();
        Assert.Equal([secondKid, firstKid], kids);
        // Retired at +11 min; after retiredAt + MaxLifetime (+ skew) the first key is gone from the JWKS.
        f.Time.Advance(TimeSpan.FromMinutes(61));
        kids = JsonDocument.Parse(f.Service.Keys.JwksJson(f.Now)).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).ToArray();
        Assert.DoesNotContain(firstKid, kids);
        Assert.False(f.Service.Verify(old.AccessToken, f.Now).Ok);
    }

    [Fact]
    public async Task Jwks_KidIsRfc7638Thumbprint()
    {
        await using var f = await CreateAsync();
        var key = JsonDocument.Parse(f.Service.Keys.JwksJson(f.Now)).RootElement.GetProperty("keys")[0];
        var canonical = $$"""{"crv":"P-256","kty":"EC","x":"{{key.GetProperty("x").GetString()}}","y":"{{key.GetProperty("y").GetString()}}"}""";
        var expected = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)));
        Assert.Equal(expected, key.GetProperty("kid").GetString());
        Assert.Equal("ES256", key.GetProperty("alg").GetString());
        Assert.False(key.TryGetProperty("d", out _));
    }

    [Fact]
    public async Task PruneAsync_DropsExpiredRecords()
    {
        await using var f = await CreateAsync();
        await f.RootAsync("agent-a", TaskGrant.Empty, lifetime: TimeSpan.FromMinutes(1));
        var live = await f.RootAsync("agent-a", TaskGrant.Empty, lifetime: TimeSpan.FromMinutes(30));
        f.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await f.Service.PruneAsync() >= 1);
        Assert.Equal(1, f.Service.LiveTokenCount);
        Assert.True(f.Service.Verify(live.AccessToken, f.Now).Ok);
    }
}

public class TaskTokenMaintenanceTests
{
    [Fact]
    public async Task RunMaintenanceAsync_RotatesWhenDueWithoutIssuing_AndPrunes()
    {
        await using var f = await TaskTokenFixture.CreateAsync(new TaskTokenOptions { Issuer = TaskTokenFixture.Issuer, KeyRotation = TimeSpan.FromMinutes(10) });
        var first = f.Service.Keys.Active.KeyId;
        await f.RootAsync("agent-a", TaskGrant.Empty, lifetime: TimeSpan.FromMinutes(1));
        using var cts = new CancellationTokenSource();
        var loop = f.Service.RunMaintenanceAsync(TimeSpan.FromMinutes(11), cts.Token);
        // Advance until the loop has run one round (it waits on the fake clock; poll without sleeping on real time).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (f.Service.Keys.Active.KeyId == first || f.Service.LiveTokenCount != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "maintenance did not run");
            f.Time.Advance(TimeSpan.FromMinutes(11));
            await Task.Yield();
            await Task.Delay(10);
        }
        cts.Cancel();
        await loop.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEqual(first, f.Service.Keys.Active.KeyId);
    }
}
