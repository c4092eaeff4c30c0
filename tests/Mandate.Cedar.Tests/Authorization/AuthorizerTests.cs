using Mandate.Cedar.Ast;
using Mandate.Cedar.Authorization;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Requests;
using Mandate.Cedar.Syntax;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Tests.Authorization;

public class AuthorizerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly EntityStore Store = new(
    [
        new Entity(new EntityUid("User", "alice"), Value.Record([new("level", Value.Long(5))]), [new EntityUid("Group", "admins")]),
        new Entity(new EntityUid("User", "bob"), Value.Record([new("level", Value.Long(1))])),
        new Entity(new EntityUid("Group", "admins")),
        new Entity(new EntityUid("Doc", "d1"), parents: [new EntityUid("Folder", "f1")]),
        new Entity(new EntityUid("Action", "read"), parents: [new EntityUid("Action", "readers")]),
        new Entity(new EntityUid("Action", "write")),
    ]);

    private static Request Req(string principal, string action, string resource = "d1") =>
        new(new EntityUid("User", principal), new EntityUid("Action", action), new EntityUid("Doc", resource));

    private static Authorizer Build(string text) => new(PolicyParser.ParsePolicySet(text).GetValueOrThrow());

    [Fact]
    public void IsAuthorized_NoPolicies_DefaultDeny()
    {
        var response = new Authorizer(PolicySet.Empty).IsAuthorized(Req("alice", "read"), Store);
        Assert.Equal(Decision.Deny, response.Decision);
        Assert.Empty(response.Reasons);
        Assert.Empty(response.Errors);
    }

    [Fact]
    public void IsAuthorized_SatisfiedPermit_AllowsWithItsId()
    {
        var authorizer = Build("""
            permit(principal == User::"alice", action, resource);
            permit(principal == User::"bob", action, resource);
            """);
        var response = authorizer.IsAuthorized(Req("alice", "read"), Store);
        Assert.True(response.IsAllowed);
        Assert.Equal(["policy0"], response.Reasons);
    }

    [Fact]
    public void IsAuthorized_ForbidAndPermit_ForbidWinsAndIsTheReason()
    {
        var authorizer = Build("""
            permit(principal, action, resource);
            forbid(principal in Group::"admins", action == Action::"write", resource);
            """);
        var denied = authorizer.IsAuthorized(Req("alice", "write"), Store);
        Assert.Equal(Decision.Deny, denied.Decision);
        Assert.Equal(["policy1"], denied.Reasons);
        var allowed = authorizer.IsAuthorized(Req("alice", "read"), Store);
        Assert.True(allowed.IsAllowed);
        Assert.Equal(["policy0"], allowed.Reasons);
    }

    [Fact]
    public void IsAuthorized_ErroringPolicies_AreSkippedAndReported()
    {
        var authorizer = Build("""
            permit(principal, action, resource) when { principal.level > 3 };
            forbid(principal, action, resource) when { principal.missing == 1 };
            permit(principal, action, resource) when { resource.nope };
            """);
        var response = authorizer.IsAuthorized(Req("alice", "read"), Store);
        Assert.True(response.IsAllowed); // the erroring forbid does not deny
        Assert.Equal(["policy0"], response.Reasons);
        Assert.Equal(["policy1", "policy2"], response.Errors.Select(e => e.PolicyId));
        Assert.Contains("missing", response.Errors[0].Message);
    }

    [Fact]
    public void IsAuthorized_ErrorOnlyPolicies_DenyWithErrors()
    {
        var authorizer = Build("permit(principal, action, resource) when { 1 + true };");
        var response = authorizer.IsAuthorized(Req("alice", "read"), Store);
        Assert.Equal(Decision.Deny, response.Decision);
        Assert.Single(response.Errors);
    }

    [Fact]
    public void IsAuthorized_DeterminingPolicies_ExposeAnnotations()
    {
        var authorizer = Build("""
            permit(principal, action, resource);
            @id("no-writes") @reason("writes need approval") @step_up("approval")
            forbid(principal, action == Action::"write", resource) unless { context has approved };
            """);
        var response = authorizer.IsAuthorized(Req("bob", "write"), Store);
        var policy = Assert.Single(response.DeterminingPolicies);
        Assert.Equal("writes need approval", policy.Annotation("reason"));
        Assert.Equal("approval", policy.Annotation("step_up"));
        Assert.Equal("no-writes", policy.Annotation("id"));
    }

    [Theory]
    [InlineData("permit(principal in Group::\"admins\", action, resource);", "alice", "read", true)]
    [InlineData("permit(principal in Group::\"admins\", action, resource);", "bob", "read", false)]
    [InlineData("permit(principal is User, action, resource);", "bob", "read", true)]
    [InlineData("permit(principal is Group, action, resource);", "bob", "read", false)]
    [InlineData("permit(principal is User in Group::\"admins\", action, resource);", "alice", "read", true)]
    [InlineData("permit(principal, action in Action::\"readers\", resource);", "bob", "read", true)]
    [InlineData("permit(principal, action in Action::\"readers\", resource);", "bob", "write", false)]
    [InlineData("permit(principal, action in [Action::\"write\", Action::\"readers\"], resource);", "bob", "read", true)]
    [InlineData("permit(principal, action in [Action::\"write\", Action::\"readers\"], resource);", "bob", "write", true)]
    [InlineData("permit(principal, action, resource in Folder::\"f1\");", "bob", "read", true)]
    [InlineData("permit(principal, action, resource == Doc::\"d2\");", "bob", "read", false)]
    [InlineData("permit(principal, action, resource) unless { principal.level < 3 };", "alice", "read", true)]
    [InlineData("permit(principal, action, resource) unless { principal.level < 3 };", "bob", "read", false)]
    public void IsAuthorized_ScopeAndConditionForms_Decide(string policy, string principal, string action, bool allowed)
    {
        Assert.Equal(allowed, Build(policy).IsAuthorized(Req(principal, action), Store).IsAllowed);
    }

    [Fact]
    public void IsAuthorized_ThousandsOfPolicies_IndexAgreesWithFullScan()
    {
        var random = new Random(42);
        var users = Enumerable.Range(0, 30).Select(i => new EntityUid("User", $"u{i}")).ToArray();
        var groups = Enumerable.Range(0, 5).Select(i => new EntityUid("Group", $"g{i}")).ToArray();
        var docs = Enumerable.Range(0, 30).Select(i => new EntityUid("Doc", $"d{i}")).ToArray();
        var actions = Enumerable.Range(0, 6).Select(i => new EntityUid("Action", $"a{i}")).ToArray();
        var actionGroup = new EntityUid("Action", "all");
        var entities = new List<Entity>();
        entities.AddRange(users.Select(u => new Entity(u, Value.Record([new("n", Value.Long(random.Next(10)))]), [groups[random.Next(groups.Length)]])));
        entities.AddRange(groups.Select(g => new Entity(g)));
        entities.AddRange(docs.Select(d => new Entity(d, parents: [groups[random.Next(groups.Length)]])));
        entities.AddRange(actions.Select((a, i) => new Entity(a, parents: i % 2 == 0 ? [actionGroup] : null)));
        var store = new EntityStore(entities);

        string Pick(EntityUid[] xs) => xs[random.Next(xs.Length)].ToString();
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            var effect = random.Next(5) == 0 ? "forbid" : "permit";
            var p = random.Next(4) switch { 0 => "principal", 1 => $"principal == {Pick(users)}", 2 => $"principal in {Pick(groups)}", _ => "principal is User" };
            var a = random.Next(4) switch { 0 => "action", 1 => $"action == {Pick(actions)}", 2 => $"action in [{Pick(actions)}, {Pick(actions)}]", _ => $"action in {actionGroup}" };
            var r = random.Next(4) switch { 0 => "resource", 1 => $"resource == {Pick(docs)}", 2 => $"resource in {Pick(groups)}", _ => $"resource is Doc in {Pick(groups)}" };
            var when = random.Next(3) switch { 0 => "", 1 => $" when {{ principal.n > {random.Next(10)} }}", _ => " when { resource.n == 1 }" };
            text.Append(effect).Append('(').Append(p).Append(", ").Append(a).Append(", ").Append(r).Append(')').Append(when).AppendLine(";");
        }
        var authorizer = Build(text.ToString());
        for (var i = 0; i < 500; i++)
        {
            var request = new Request(users[random.Next(users.Length)], actions[random.Next(actions.Length)], docs[random.Next(docs.Length)]);
            var indexed = authorizer.IsAuthorized(request, store);
            var scanned = authorizer.IsAuthorizedWithoutIndex(request, store);
            Assert.Equal(scanned.Decision, indexed.Decision);
            Assert.Equal(scanned.Reasons, indexed.Reasons);
            Assert.Equal(scanned.Errors.Select(e => e.PolicyId), indexed.Errors.Select(e => e.PolicyId));
        }
    }

    [Fact]
    public void IsAuthorized_TenThousandScopedPolicies_IndexLooksAtAHandful()
    {
        // Rules spread over many agents, tools and servers, as a large deployment writes them.
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            text.AppendLine((i % 4) switch
            {
                0 => $"permit(principal == Agent::\"a{i}\", action, resource);",
                1 => $"permit(principal, action == Action::\"call\", resource == Tool::\"t{i}\");",
                2 => $"forbid(principal in Team::\"team{i}\", action, resource);",
                _ => $"permit(principal, action, resource in McpServer::\"s{i}\") when {{ context.ok }};",
            });
        }
        text.AppendLine("forbid(principal, action, resource) when { context has blocked };");
        var authorizer = Build(text.ToString());
        var store = new EntityStore([
            new Entity(new EntityUid("Agent", "a8"), parents: [new EntityUid("Team", "team10")]),
            new Entity(new EntityUid("Tool", "t9"), parents: [new EntityUid("McpServer", "s11")]),
        ]);
        var request = new Request(new EntityUid("Agent", "a8"), new EntityUid("Action", "call"), new EntityUid("Tool", "t9"),
            Value.Record([new("ok", Value.True)]));
        Assert.Equal(5, authorizer.CountCandidates(request, store)); // one per matching rule, plus the wildcard
        var response = authorizer.IsAuthorized(request, store);
        Assert.Equal(Decision.Deny, response.Decision);
        Assert.Equal(["policy10"], response.Reasons);
    }

    [Fact]
    public void IsAuthorized_AgentShapedWorkload_AllocatesUnderOneKilobytePerDecision()
    {
        var (authorizer, store, requests) = AgentWorkload.Build(policies: 50);
        foreach (var r in requests) authorizer.IsAuthorized(r, store); // warm up (JIT, lazy caches)
        const int rounds = 20;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < rounds; i++)
        {
            foreach (var r in requests) authorizer.IsAuthorized(r, store);
        }
        var perDecision = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)(rounds * requests.Count);
        var allowed = requests.Count(r => authorizer.IsAuthorized(r, store).IsAllowed);
        output.WriteLine($"{perDecision:F0} bytes per decision; {allowed}/{requests.Count} requests allowed");
        Assert.True(perDecision <= 1024, $"allocated {perDecision:F0} bytes per decision");
    }
}
