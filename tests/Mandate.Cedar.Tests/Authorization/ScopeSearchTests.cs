using Mandate.Cedar.Ast;
using Mandate.Cedar.Authorization;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Requests;
using Mandate.Cedar.Syntax;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Tests.Authorization;

public class ScopeSearchTests
{
    // 600 users in 6 groups, 40 documents in 4 folders; u007 is suspended.
    private static readonly EntityStore Store = new(
        Enumerable.Range(0, 600).Select(i => new Entity(
            new EntityUid("User", $"u{i:000}"),
            Value.Record([new("suspended", Value.Bool(i == 7))]),
            [new EntityUid("Group", $"g{i % 6}")]))
        .Concat(Enumerable.Range(0, 40).Select(j => new Entity(new EntityUid("Doc", $"d{j:00}"), Value.Record([new("public", Value.Bool(j % 5 == 0))]), [new EntityUid("Folder", $"f{j % 4}")])))
        .Concat([new Entity(new EntityUid("Action", "read")), new Entity(new EntityUid("Action", "view")), new Entity(new EntityUid("Action", "edit"))]));

    private const string Policies = """
        permit (principal in Group::"g1", action == Action::"read", resource in Folder::"f1");
        permit (principal == User::"u042", action == Action::"edit", resource);
        permit (principal is User, action == Action::"view", resource is Doc) when { resource.public };
        forbid (principal, action, resource) when { principal.suspended };
        """;

    private static readonly PolicySet Set = PolicyParser.ParsePolicySet(Policies).GetValueOrThrow();

    [Fact]
    public void Principals_InGroupScope_AreTheGroupsMembersOnly_NotEveryUser()
    {
        var candidates = new ScopeSearch(Set).Principals("User", new EntityUid("Action", "read"), new EntityUid("Doc", "d01"), Store);
        Assert.Equal(100, candidates.Count);
        Assert.All(candidates, c => Assert.True(Store.IsDescendantOf(c, new EntityUid("Group", "g1"))));
    }

    [Fact]
    public void Principals_EqualScope_IsOneCandidate()
    {
        var candidates = new ScopeSearch(Set).Principals("User", new EntityUid("Action", "edit"), new EntityUid("Doc", "d02"), Store);
        Assert.Equal([new EntityUid("User", "u042")], candidates);
    }

    [Fact]
    public void Principals_NoPermitForTheActionOnTheResource_NoCandidates()
    {
        Assert.Empty(new ScopeSearch(Set).Principals("User", new EntityUid("Action", "read"), new EntityUid("Doc", "d02"), Store));
    }

    [Theory]
    [InlineData("read", "d01")]
    [InlineData("read", "d05")]
    [InlineData("view", "d05")]
    [InlineData("view", "d06")]
    [InlineData("edit", "d33")]
    public void Principals_AreSound_EveryAllowedUserIsACandidate(string action, string doc)
    {
        var authorizer = new Authorizer(Set);
        var candidates = new ScopeSearch(Set).Principals("User", new EntityUid("Action", action), new EntityUid("Doc", doc), Store).ToHashSet();
        foreach (var user in Store.OfType("User"))
        {
            if (authorizer.IsAuthorized(new Request(user, new EntityUid("Action", action), new EntityUid("Doc", doc)), Store).IsAllowed)
            {
                Assert.Contains(user, candidates);
            }
        }
    }

    [Fact]
    public void Resources_AndActions_FollowTheScopes()
    {
        var search = new ScopeSearch(Set);
        var docs = search.Resources("Doc", new EntityUid("User", "u001"), new EntityUid("Action", "read"), Store);
        Assert.Equal(10, docs.Count); // the documents in f1
        var actions = search.Actions("Action", new EntityUid("User", "u042"), new EntityUid("Doc", "d05"), Store);
        Assert.Equal(["edit", "view"], actions.Select(a => a.Id)); // u042 is in g0, so the group permit is not a reason to consider `read`
    }
}
