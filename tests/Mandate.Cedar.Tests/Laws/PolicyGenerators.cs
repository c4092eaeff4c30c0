using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Authorization;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Requests;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Tests.Laws;

/// <summary>A generated policy set and request over a small fixed entity universe.</summary>
public sealed record Scenario(Policy[] Policies, Request Request)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Request} with {Policies.Length} policies: " + string.Join(" | ", Policies.Select(p => $"{p.Id} {p.Effect} {p.Principal.Kind}/{p.Action.Kind}/{p.Resource.Kind} {p.Conditions.Count}"));
}

/// <summary>
/// FsCheck generators for small policy ASTs: random scopes (==, in, is, is-in, action lists)
/// and conditions that are true, false, erroring or data-dependent, over a fixed universe of
/// users, groups, documents, folders and actions.
/// </summary>
public static class PolicyGenerators
{
    private static readonly EntityUid[] Users = [.. Enumerable.Range(0, 4).Select(i => new EntityUid("User", $"u{i}"))];
    private static readonly EntityUid[] Groups = [new("Group", "g0"), new("Group", "g1")];
    private static readonly EntityUid[] Docs = [.. Enumerable.Range(0, 4).Select(i => new EntityUid("Doc", $"d{i}"))];
    private static readonly EntityUid[] Folders = [new("Folder", "f0"), new("Folder", "f1")];
    private static readonly EntityUid[] Actions = [new("Action", "a0"), new("Action", "a1"), new("Action", "a2")];
    private static readonly EntityUid AllActions = new("Action", "all");

    /// <summary>The fixed entity universe every scenario is decided against.</summary>
    public static readonly EntityStore Store = new(
    [
        .. Users.Select((u, i) => new Entity(u, Value.Record([new("level", Value.Long(i))]), [Groups[i % 2]])),
        .. Groups.Select(g => new Entity(g)),
        .. Docs.Select((d, i) => new Entity(d, i % 2 == 0 ? Value.Record([new("owner", Value.Entity(Users[i]))]) : null, [Folders[i / 2]])),
        .. Folders.Select(f => new Entity(f)),
        new Entity(Actions[0], parents: [AllActions]),
        new Entity(Actions[1], parents: [AllActions]),
        new Entity(Actions[2]),
        new Entity(AllActions),
    ]);

    // `Any` scopes are weighted up so that enough generated policies apply to a request.
    private static Gen<ScopeConstraint> PrincipalScope() => Gen.OneOf(
        Gen.Constant(ScopeConstraint.Any),
        Gen.Constant(ScopeConstraint.Any),
        Gen.Constant(ScopeConstraint.Any),
        Gen.Elements(Users).Select(u => new ScopeConstraint(ScopeKind.Equal, new EntityRef.Literal(u))),
        Gen.Elements(Groups).Select(g => new ScopeConstraint(ScopeKind.In, new EntityRef.Literal(g))),
        Gen.Elements("User", "Group").Select(t => new ScopeConstraint(ScopeKind.Is, null, t)),
        Gen.Elements(Groups).Select(g => new ScopeConstraint(ScopeKind.IsIn, new EntityRef.Literal(g), "User")));

    private static Gen<ScopeConstraint> ResourceScope() => Gen.OneOf(
        Gen.Constant(ScopeConstraint.Any),
        Gen.Constant(ScopeConstraint.Any),
        Gen.Constant(ScopeConstraint.Any),
        Gen.Elements(Docs).Select(d => new ScopeConstraint(ScopeKind.Equal, new EntityRef.Literal(d))),
        Gen.Elements(Folders).Select(f => new ScopeConstraint(ScopeKind.In, new EntityRef.Literal(f))),
        Gen.Elements(Folders).Select(f => new ScopeConstraint(ScopeKind.IsIn, new EntityRef.Literal(f), "Doc")));

    private static Gen<ActionConstraint> ActionScope() => Gen.OneOf(
        Gen.Constant(ActionConstraint.Any),
        Gen.Constant(ActionConstraint.Any),
        Gen.Constant(ActionConstraint.Any),
        Gen.Elements(Actions).Select(a => new ActionConstraint(ActionScopeKind.Equal, new[] { a })),
        Gen.Constant(new ActionConstraint(ActionScopeKind.In, new[] { AllActions })),
        Gen.SubListOf(Actions.Append(AllActions)).Where(l => l.Count > 0)
            .Select(l => new ActionConstraint(ActionScopeKind.InList, l.ToArray())));

    private static Gen<Expr> Condition() => Gen.OneOf(
        Gen.Elements(true, false).Select(b => (Expr)new BoolLiteral(b)),
        Gen.Constant<Expr>(new BinaryExpr(BinaryOp.Add, new LongLiteral(1), new StringLiteral("a"))),
        Gen.Choose(0, 4).Select(k => (Expr)new BinaryExpr(BinaryOp.Greater,
            new GetAttrExpr(new VarExpr(Var.Principal), "level"), new LongLiteral(k))),
        Gen.Constant<Expr>(new HasAttrExpr(new VarExpr(Var.Resource), "owner")),
        Gen.Constant<Expr>(new BinaryExpr(BinaryOp.Equal,
            new GetAttrExpr(new VarExpr(Var.Resource), "owner"), new VarExpr(Var.Principal))),
        Gen.Constant<Expr>(new GetAttrExpr(new VarExpr(Var.Context), "flag")));

    private static Gen<Policy> PolicyGen(int index) =>
        from effect in Gen.Elements(Effect.Permit, Effect.Permit, Effect.Permit, Effect.Forbid)
        from principal in PrincipalScope()
        from action in ActionScope()
        from resource in ResourceScope()
        from n in Gen.Choose(0, 2)
        from conditions in Gen.ListOf(Gen.Zip(Gen.Elements(ConditionKind.When, ConditionKind.Unless), Condition()), n)
        select new Policy($"policy{index}", effect, principal, action, resource,
            conditions.Select(c => new Condition(c.Item1, c.Item2)).ToArray(), ValueList<Annotation>.Empty);

    private static Gen<Request> RequestGen() =>
        from p in Gen.Elements(Users.Append(new EntityUid("User", "ghost")))
        from a in Gen.Elements(Actions)
        from r in Gen.Elements(Docs.Append(new EntityUid("Doc", "ghost")))
        from flag in Gen.Elements<Value>(Value.True, Value.False, Value.Long(1))
        select new Request(p, a, r, Value.Record([new("flag", flag)]));

    /// <summary>Scenarios with 0–12 policies.</summary>
    public static Arbitrary<Scenario> Scenarios() =>
        Arb.From(
            from count in Gen.Choose(0, 12)
            from policies in Gen.CollectToArray(Enumerable.Range(0, count).Select(PolicyGen))
            from request in RequestGen()
            select new Scenario(policies, request));

    /// <summary>Decides <paramref name="policies"/> for <paramref name="request"/> against the fixed store.</summary>
    public static Response Decide(IEnumerable<Policy> policies, Request request) =>
        new Authorizer(new PolicySet([.. policies], ImmutableArray<Policy>.Empty)).IsAuthorized(request, Store);
}
