using Mandate.Cedar.Ast;
using Mandate.Cedar.Diagnostics;
using Mandate.Cedar.Syntax;

namespace Mandate.Cedar.Tests.Syntax;

public sealed class TemplateLinkerTests
{
    private static readonly PolicySet Set = PolicyParser.ParsePolicySet("""
        @id("t") permit(principal == ?principal, action, resource in ?resource) when { context.ok };
        permit(principal is User in ?principal, action, resource);
        forbid(principal, action, resource);
        """).GetValueOrThrow();

    private static readonly EntityUid Alice = new("User", "alice");
    private static readonly EntityUid Folder = new("Folder", "f");

    [Fact]
    public void Link_AllSlotsBound_AddsLinkedPolicyWithTemplateId()
    {
        var linked = Set.Link("policy0", "alice-f", new Dictionary<SlotId, EntityUid> { [SlotId.Principal] = Alice, [SlotId.Resource] = Folder })
            .GetValueOrThrow();
        var p = linked.Policies[^1];
        Assert.Equal("alice-f", p.Id);
        Assert.Equal("policy0", p.TemplateId);
        Assert.False(p.IsTemplate);
        Assert.Equal(new ScopeConstraint(ScopeKind.Equal, new EntityRef.Literal(Alice)), p.Principal);
        Assert.Equal(new ScopeConstraint(ScopeKind.In, new EntityRef.Literal(Folder)), p.Resource);
        Assert.Equal(Set.Templates[0].Conditions, p.Conditions);
        Assert.Equal("t", p.Annotation("id"));
        Assert.Equal(Set.Policies.Length + 1, linked.Policies.Length);
        Assert.Equal(Set.Templates, linked.Templates);
    }

    [Fact]
    public void Link_IsInSlot_KeepsEntityType()
    {
        var p = Set.Link("policy1", "l", new Dictionary<SlotId, EntityUid> { [SlotId.Principal] = new("Group", "g") }).GetValueOrThrow().Policies[^1];
        Assert.Equal(new ScopeConstraint(ScopeKind.IsIn, new EntityRef.Literal(new EntityUid("Group", "g")), "User"), p.Principal);
    }

    [Theory]
    [InlineData("nope", "l", true, true, DiagnosticCodes.UnknownTemplate)]
    [InlineData("policy0", "l", true, false, DiagnosticCodes.SlotMismatch)]
    [InlineData("policy1", "l", true, true, DiagnosticCodes.SlotMismatch)]
    [InlineData("policy0", "policy2", true, true, DiagnosticCodes.DuplicatePolicyId)]
    [InlineData("policy0", "policy1", true, true, DiagnosticCodes.DuplicatePolicyId)]
    public void Link_BadRequest_ReportsCode(string template, string newId, bool principal, bool resource, string code)
    {
        var values = new Dictionary<SlotId, EntityUid>();
        if (principal) values[SlotId.Principal] = Alice;
        if (resource) values[SlotId.Resource] = Folder;
        var result = Set.Link(template, newId, values);
        Assert.False(result.IsSuccess);
        Assert.Equal(code, Assert.Single(result.Diagnostics).Code);
    }
}
