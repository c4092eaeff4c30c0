using Mandate.Core.Errors;
using Mandate.Core.Tokens;
using static Mandate.Core.Tests.Tokens.TaskTokenFixture;

namespace Mandate.Core.Tests.Tokens;

public class TaskTokenExchangeTests
{
    [Fact]
    public async Task Plan_ChildAsksForScopeParentLacks_ScopeEscalationInvalidScope()
    {
        await using var f = await CreateAsync();
        var root = await f.RootAsync("agent-a", Grant(scopes: ["tickets.read"]), user: "alice");
        var result = f.PlanChild(root, "agent-b", Grant(scopes: ["tickets.read", "tickets.write"]));
        Assert.False(result.Ok);
        Assert.Equal(ErrorCatalogue.ExchangeScopeEscalation, result.Error!.Code);
        Assert.Equal("invalid_scope", result.Error.Code.OAuth);
        // Which kind of grant is too wide, never the caller's own text.
        Assert.Contains("(scope)", result.Error.Description);
        Assert.DoesNotContain("tickets.write", result.Error.Description);
    }

    [Fact]
    public async Task Plan_ChildAsksForAudienceParentLacks_InvalidTarget()
    {
        await using var f = await CreateAsync();
        var root = await f.RootAsync("agent-a", Grant(audiences: ["https://api-a"]));
        var result = f.PlanChild(root, "agent-b", Grant(audiences: ["https://api-b"]));
        Assert.Equal(ErrorCatalogue.ExchangeTargetEscalation, result.Error!.Code);
        Assert.Equal("invalid_target", result.Error.Code.OAuth);
    }

    [Fact]
    public async Task Plan_ChildAsksForToolOutsideParentPattern_Refused()
    {
        await using var f = await CreateAsync();
        var root = await f.RootAsync("agent-a", Grant(tools: ["mcp.tools.call:github/*"]));
        Assert.True(f.PlanChild(root, "agent-b", Grant(tools: ["mcp.tools.call:github/create_issue"])).Ok);
        var refused = f.PlanChild(root, "agent-b", Grant(tools: ["mcp.tools.call:gitlab/create_issue"]));
        Assert.Equal(ErrorCatalogue.ExchangeScopeEscalation, refused.Error!.Code);
    }

    [Fact]
    public async Task Plan_ChildEmptyRequest_InheritsParentGrant()
    {
        await using var f = await CreateAsync();
        var root = await f.RootAsync("agent-a", Grant(scopes: ["a", "b"], tools: ["t"], resources: ["r/*"], intent: "triage"));
        var plan = f.PlanChild(root, "agent-b", TaskGrant.Empty).Plan!;
        Assert.True(plan.Grant.SameAs(root.Grant));
        Assert.Equal("delegate", plan.CedarAction);
    }

    [Fact]
    public async Task Plan_Root_DefaultsAndCedarAction()
    {
        await using var f = await CreateAsync();
        var plan = f.Service.Plan(new ExchangeInput { Actor = new ExchangeActor("agent-a", "oidc", "x"), ClientId = "agent-a" }, f.Now).Plan!;
        Assert.Equal("token.exchange", plan.CedarAction);
        Assert.Equal([Issuer], plan.Grant.Audiences);
        Assert.Equal(f.Now + TimeSpan.FromMinutes(5), plan.ExpiresAt);
        Assert.Equal(0, plan.Depth);
        Assert.Equal("agent-a", plan.Subject);
    }

    [Fact]
    public async Task Plan_RootBeyondCeiling_Refused()
    {
        await using var f = await CreateAsync();
        var result = f.Service.Plan(new ExchangeInput
        {
            Actor = new ExchangeActor("agent-a", "oidc", "x"),
            ClientId = "agent-a",
            SubjectKind = ExchangeSubjectKind.User,
            UserId = "alice",
            Ceiling = Grant(scopes: ["read"]),
            Requested = Grant(scopes: ["read", "admin"]),
        }, f.Now);
        Assert.Equal(ErrorCatalogue.ExchangeScopeEscalation, result.Error!.Code);
    }

    [Fact]
    public async Task Plan_LifetimeAboveMax_CutToMax()
    {
        await using var f = await CreateAsync();
        var plan = f.Service.Plan(new ExchangeInput { Actor = new ExchangeActor("a", "oidc", "x"), ClientId = "a", RequestedLifetime = TimeSpan.FromDays(2) }, f.Now).Plan!;
        Assert.Equal(f.Now + TimeSpan.FromMinutes(60), plan.ExpiresAt);
        Assert.True(plan.LifetimeClamped);
    }

    [Fact]
    public async Task Plan_ChildAsksToOutliveParent_GetsParentExpiry()
    {
        await using var f = await CreateAsync();
        var root = await f.RootAsync("agent-a", TaskGrant.Empty, lifetime: TimeSpan.FromMinutes(2));
        f.Time.Advance(TimeSpan.FromSeconds(30));
        var plan = f.PlanChild(root, "agent-b", TaskGrant.Empty, TimeSpan.FromMinutes(30)).Plan!;
        Assert.Equal(root.ExpiresAt, plan.ExpiresAt);
        Assert.True(plan.LifetimeClamped);
    }

    [Fact]
    public async Task Plan_ChildAsksToOutliveParentWhenRefusing_TtlExceedsParent()
    {
        await using var f = await CreateAsync(new TaskTokenOptions { Issuer = Issuer, RefuseLifetimeBeyondParent = true });
        var root = await f.RootAsync("agent-a", TaskGrant.Empty, lifetime: TimeSpan.FromMinutes(2));
        var result = f.PlanChild(root, "agent-b", TaskGrant.Empty, TimeSpan.FromMinutes(30));
        Assert.Equal(ErrorCatalogue.ExchangeTtlExceedsParent, result.Error!.Code);
        Assert.True(f.PlanChild(root, "agent-b", TaskGrant.Empty, TimeSpan.FromMinutes(1)).Ok);
    }

    [Fact]
    public async Task Plan_DepthBomb_StopsAtMaxDepth()
    {
        await using var f = await CreateAsync(new TaskTokenOptions { Issuer = Issuer, MaxDepth = 3 });
        var token = await f.RootAsync("agent-0", Grant(scopes: ["s"]));
        for (var depth = 1; depth <= 3; depth++)
        {
            token = await f.ChildAsync(token, $"agent-{depth}", TaskGrant.Empty);
            Assert.Equal(depth, f.Service.Verify(token.AccessToken, f.Now).Principal!.Depth);
        }
        var refused = f.PlanChild(token, "agent-4", TaskGrant.Empty);
        Assert.Equal(ErrorCatalogue.DelegationDepthExceeded, refused.Error!.Code);
        Assert.Equal("invalid_request", refused.Error.Code.OAuth);
    }

    [Theory]
    [InlineData("agent-a")]
    [InlineData("agent-b")]
    public async Task Plan_ActorAlreadyInChain_DelegationCycle(string actor)
    {
        await using var f = await CreateAsync();
        var root = await f.RootAsync("agent-a", TaskGrant.Empty);
        var child = await f.ChildAsync(root, "agent-b", TaskGrant.Empty);
        var result = f.PlanChild(child, actor, TaskGrant.Empty);
        Assert.Equal(ErrorCatalogue.ExchangeDelegationCycle, result.Error!.Code);
    }

    [Fact]
    public async Task Plan_ParentRevokedAfterItWasVerified_ParentInvalid()
    {
        await using var f = await CreateAsync();
        var root = await f.RootAsync("agent-a", TaskGrant.Empty);
        var principal = f.Service.Verify(root.AccessToken, f.Now).Principal!;
        await f.Service.RevokeAsync(RevocationTarget.Token(root.Jti), "test");
        var result = f.Service.Plan(new ExchangeInput
        {
            Actor = new ExchangeActor("agent-b", "oidc", "x"),
            ClientId = "agent-b",
            SubjectKind = ExchangeSubjectKind.ParentTaskToken,
            Parent = principal,
        }, f.Now);
        Assert.Equal(ErrorCatalogue.ExchangeParentInvalid, result.Error!.Code);
    }

    [Fact]
    public async Task Plan_ParentExpired_ParentInvalid()
    {
        await using var f = await CreateAsync();
        var root = await f.RootAsync("agent-a", TaskGrant.Empty, lifetime: TimeSpan.FromMinutes(1));
        var principal = f.Service.Verify(root.AccessToken, f.Now).Principal!;
        f.Time.Advance(TimeSpan.FromMinutes(2));
        var result = f.Service.Plan(new ExchangeInput
        {
            Actor = new ExchangeActor("agent-b", "oidc", "x"),
            ClientId = "agent-b",
            SubjectKind = ExchangeSubjectKind.ParentTaskToken,
            Parent = principal,
        }, f.Now);
        Assert.Equal(ErrorCatalogue.ExchangeParentInvalid, result.Error!.Code);
    }

    [Theory]
    [InlineData("bad scope")]
    [InlineData("quote\"")]
    [InlineData("")]
    public async Task Plan_InvalidScopeSyntax_Refused(string scope)
    {
        await using var f = await CreateAsync();
        var result = f.Service.Plan(new ExchangeInput { Actor = new ExchangeActor("a", "oidc", "x"), ClientId = "a", Requested = Grant(scopes: [scope]) }, f.Now);
        Assert.Equal("invalid_scope", result.Error!.Code.OAuth);
    }

    [Fact]
    public async Task Plan_InconsistentInput_InvalidRequest()
    {
        await using var f = await CreateAsync();
        var actor = new ExchangeActor("a", "oidc", "x");
        Assert.Equal(ErrorCatalogue.ExchangeInvalidRequest, f.Service.Plan(new ExchangeInput { Actor = actor, ClientId = "a", SubjectKind = ExchangeSubjectKind.User }, f.Now).Error!.Code);
        Assert.Equal(ErrorCatalogue.ExchangeInvalidRequest, f.Service.Plan(new ExchangeInput { Actor = actor, ClientId = "a", SubjectKind = ExchangeSubjectKind.ParentTaskToken }, f.Now).Error!.Code);
        Assert.Equal(ErrorCatalogue.ExchangeInvalidRequest, f.Service.Plan(new ExchangeInput { Actor = actor, ClientId = "a", UserId = "alice" }, f.Now).Error!.Code);
        Assert.Equal(ErrorCatalogue.ExchangeInvalidRequest, f.Service.Plan(new ExchangeInput { Actor = actor, ClientId = "a", RequestedLifetime = TimeSpan.Zero }, f.Now).Error!.Code);
        Assert.Equal(ErrorCatalogue.ExchangeInvalidRequest, f.Service.Plan(new ExchangeInput { Actor = actor with { AgentId = "" }, ClientId = "a" }, f.Now).Error!.Code);
    }

    [Fact]
    public async Task Plan_OversizedTask_InvalidRequest()
    {
        await using var f = await CreateAsync();
        var huge = Grant(intent: new string('x', TaskTokenService.MaxGrantCharacters + 1));
        Assert.Equal(ErrorCatalogue.ExchangeInvalidRequest, f.Service.Plan(new ExchangeInput { Actor = new ExchangeActor("a", "oidc", "x"), ClientId = "a", Requested = huge }, f.Now).Error!.Code);
        var large = Grant(tools: Enumerable.Range(0, 100).Select(i => $"mcp.tools.call:server/tool-{i:000}").ToArray(), intent: new string('y', 500));
        var token = await f.RootAsync("agent-a", large);
        Assert.True(f.Service.Verify(token.AccessToken, f.Now).Ok);
    }

    [Fact]
    public async Task Plan_IsPure_NothingStoredUntilIssue()
    {
        await using var f = await CreateAsync();
        var before = f.Service.LiveTokenCount;
        var plan = f.Service.Plan(new ExchangeInput { Actor = new ExchangeActor("a", "oidc", "x"), ClientId = "a" }, f.Now);
        Assert.True(plan.Ok);
        Assert.Equal(before, f.Service.LiveTokenCount);
        Assert.Empty((await f.Store.LoadAsync(f.Now)).Tokens);
        await f.Service.IssueAsync(plan.Plan!);
        Assert.Single((await f.Store.LoadAsync(f.Now)).Tokens);
    }
}
