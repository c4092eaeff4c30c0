using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mandate.Core.Tokens;

namespace Mandate.Core.Tests.Tokens;

/// <summary>The narrowing laws of <see cref="TaskGrant"/> over generated grants drawn from a small vocabulary, so that
/// overlaps, patterns and empty ("any") lists all occur often.</summary>
public class TaskGrantLaws
{
    private static readonly string[] ScopeWords = ["read", "write", "admin", "tickets", "mail"];
    private static readonly string[] ToolWords = ["tickets.read", "tickets.write", "mcp.tools.call:github/*", "mcp.tools.call:github/create_issue", "mcp.tools.call:github/list", "*", "mail.send"];
    private static readonly string[] ResourceWords = ["Mandate::Ticket::\"T-1\"", "Mandate::Ticket::\"T-2\"", "https://api.test/repos/acme/*", "https://api.test/repos/acme/x", "https://api.test/*"];

    private static Gen<string[]> Subset(string[] words) =>
        Gen.ListOf(Gen.Elements(words)).Select(l => l.Take(4).Distinct().ToArray());

    internal static Gen<TaskGrant> Grants() =>
        from scopes in Subset(ScopeWords)
        from audiences in Subset(["api-a", "api-b", "api-c"])
        from tools in Subset(ToolWords)
        from resources in Subset(ResourceWords)
        from intent in Gen.Elements("", "triage tickets", "open an issue")
        select new TaskGrant(scopes, audiences, intent, tools, resources);

    [Property(MaxTest = 500)]
    public Property Intersect_WhenNoExcess_IsWithinParent() =>
        Prop.ForAll(Arb.From(Grants()), Arb.From(Grants()), (parent, requested) =>
            parent.Excess(requested).Count > 0 || parent.Intersect(requested).IsWithin(parent));

    [Property(MaxTest = 500)]
    public Property Excess_Empty_IffResolvedRequestIsWithinParent() =>
        Prop.ForAll(Arb.From(Grants()), Arb.From(Grants()), (parent, requested) =>
        {
            var noExcess = parent.Excess(requested).Count == 0;
            // The request with its empty lists filled from the parent is what a client gets; it fits iff nothing is excess.
            var resolved = new TaskGrant(
                requested.Scopes.Count == 0 ? parent.Scopes : requested.Scopes,
                requested.Audiences.Count == 0 ? parent.Audiences : requested.Audiences,
                requested.Intent,
                requested.Tools.Count == 0 ? parent.Tools : requested.Tools,
                requested.Resources.Count == 0 ? parent.Resources : requested.Resources);
            return noExcess == resolved.IsWithin(parent);
        });

    [Property(MaxTest = 300)]
    public Property IsWithin_Reflexive() => Prop.ForAll(Arb.From(Grants()), g => g.IsWithin(g));

    [Property(MaxTest = 500)]
    public Property IsWithin_Transitive() =>
        Prop.ForAll(Arb.From(Grants()), Arb.From(Grants()), Arb.From(Grants()), (a, b, c) =>
            !(a.IsWithin(b) && b.IsWithin(c)) || a.IsWithin(c));

    [Fact]
    public void IsWithin_RestrictedParentUnrestrictedChild_IsNotWithin()
    {
        var parent = TaskTokenFixture.Grant(tools: ["tickets.read"]);
        Assert.False(TaskTokenFixture.Grant().IsWithin(parent));
        Assert.True(TaskTokenFixture.Grant(tools: ["tickets.read"]).IsWithin(TaskTokenFixture.Grant()));
    }

    [Theory]
    [InlineData("https://api.test/repos/acme/*", "https://api.test/repos/acme/x", true)]
    [InlineData("https://api.test/repos/acme/*", "https://api.test/repos/acme/x/*", true)]
    [InlineData("https://api.test/repos/acme/x/*", "https://api.test/repos/acme/*", false)]
    [InlineData("https://api.test/repos/acme/*", "https://api.test/repos/acmeevil", false)]
    [InlineData("tickets.read", "tickets.read", true)]
    [InlineData("tickets.read", "tickets.reader", false)]
    [InlineData("*", "anything", true)]
    public void Covers_Table(string pattern, string value, bool expected) =>
        Assert.Equal(expected, GrantPatterns.Covers(pattern, value));

    [Fact]
    public void Intersect_NothingAllowedInRestrictedList_Throws()
    {
        var parent = TaskTokenFixture.Grant(tools: ["tickets.read"]);
        Assert.Throws<ArgumentException>(() => parent.Intersect(TaskTokenFixture.Grant(tools: ["mail.send"])));
    }
}
