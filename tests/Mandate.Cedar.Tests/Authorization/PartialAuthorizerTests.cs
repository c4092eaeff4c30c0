using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Authorization;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Requests;
using Mandate.Cedar.Syntax;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Tests.Authorization;

public class PartialAuthorizerTests
{
    private static readonly EntityStore Store = new(
    [
        new Entity(new EntityUid("Agent", "a1"), Value.Record([new("tier", Value.Long(2))])),
        new Entity(new EntityUid("Tool", "github/create_issue"), Value.Record([new("risk", Value.Long(1))])),
    ]);

    private static Request Req(Value? args = null)
    {
        var context = args is null
            ? Value.Record([new("now", Value.Long(10))])
            : Value.Record([new("now", Value.Long(10)), new("args", args)]);
        return new Request(new EntityUid("Agent", "a1"), new EntityUid("Action", "call"), new EntityUid("Tool", "github/create_issue"), context);
    }

    private static PartialAuthorizer Build(string text) =>
        new(PolicyParser.ParsePolicySet(text).GetValueOrThrow(), ["args"]);

    [Fact]
    public void CouldAllow_PermitOnArguments_IsPossible()
    {
        var partial = Build("""permit(principal, action, resource) when { context.args.amount < 100 };""");
        var response = partial.CouldAllow(Req(), Store);
        Assert.True(response.CouldAllow);
        Assert.Equal(["policy0"], response.Policies);
    }

    [Fact]
    public void CouldAllow_NoPermitInScope_IsImpossible()
    {
        var partial = Build("""permit(principal == Agent::"other", action, resource) when { context.args.x == 1 };""");
        Assert.False(partial.CouldAllow(Req(), Store).CouldAllow);
    }

    [Fact]
    public void CouldAllow_KnownForbid_BlocksEvenWithUnknownPermit()
    {
        var partial = Build("""
            permit(principal, action, resource) when { context.args has x };
            forbid(principal, action, resource) when { resource.risk > 0 && context.now > 5 };
            """);
        var response = partial.CouldAllow(Req(), Store);
        Assert.False(response.CouldAllow);
        Assert.Equal(["policy1"], response.Policies);
    }

    [Fact]
    public void CouldAllow_ForbidOnArguments_DoesNotBlock()
    {
        var partial = Build("""
            permit(principal, action, resource);
            forbid(principal, action, resource) when { context.args.amount > 1000 };
            """);
        Assert.True(partial.CouldAllow(Req(), Store).CouldAllow);
    }

    [Theory]
    [InlineData("permit(principal, action, resource) when { false && context.args.x };")]
    [InlineData("permit(principal, action, resource) when { principal.tier > 5 && context.args.x };")]
    [InlineData("permit(principal, action, resource) when { if context.now < 0 then context.args.x else false };")]
    [InlineData("permit(principal, action, resource) when { principal.missing || context.args.x };")]
    [InlineData("permit(principal, action, resource) unless { true || context.args.x };")]
    public void CouldAllow_ShortCircuitSettledByKnownPart_IsImpossible(string policy) =>
        Assert.False(Build(policy).CouldAllow(Req(), Store).CouldAllow);

    [Fact]
    public void CouldAllow_IgnoresArgumentValuesTheRequestCarries()
    {
        var partial = Build("""permit(principal, action, resource) when { context.args.amount < 100 };""");
        var args = Value.Record([new("amount", Value.Long(5000))]);
        Assert.True(partial.CouldAllow(Req(args), Store).CouldAllow);
    }

    [Fact]
    public void CouldAllow_WholeContextCompared_IsUnknown()
    {
        var partial = Build("""permit(principal, action, resource) when { context == {"now": 10} };""");
        Assert.True(partial.CouldAllow(Req(), Store).CouldAllow);
    }

    // ---- Soundness: whenever some argument value makes the authorizer allow, CouldAllow is true. ----

    private static readonly Value[] ArgValues =
    [
        Value.Record([]),
        Value.Record([new("x", Value.Long(0))]),
        Value.Record([new("x", Value.Long(7))]),
        Value.Record([new("x", Value.String("a"))]),
        Value.Record([new("x", Value.True), new("y", Value.Long(3))]),
        Value.Long(1),
    ];

    private static Expr Args => new GetAttrExpr(new VarExpr(Var.Context), "args");

    private static Gen<Expr> Atom() => Gen.OneOf(
        Gen.Elements(true, false).Select(b => (Expr)new BoolLiteral(b)),
        Gen.Constant<Expr>(new BinaryExpr(BinaryOp.Add, new LongLiteral(1), new StringLiteral("a"))),
        Gen.Choose(0, 4).Select(k => (Expr)new BinaryExpr(BinaryOp.Greater, new GetAttrExpr(new VarExpr(Var.Principal), "tier"), new LongLiteral(k))),
        Gen.Constant<Expr>(new HasAttrExpr(Args, "x")),
        Gen.Constant<Expr>(new HasAttrExpr(new VarExpr(Var.Context), "args")),
        Gen.Choose(0, 8).Select(k => (Expr)new BinaryExpr(BinaryOp.Less, new GetAttrExpr(Args, "x"), new LongLiteral(k))),
        Gen.Constant<Expr>(new BinaryExpr(BinaryOp.Equal, new GetAttrExpr(Args, "x"), new StringLiteral("a"))),
        Gen.Constant<Expr>(new GetAttrExpr(Args, "x")),
        Gen.Constant<Expr>(new BinaryExpr(BinaryOp.Equal, new GetAttrExpr(new VarExpr(Var.Context), "now"), new LongLiteral(10))));

    private static Gen<Expr> Condition(int depth) => depth == 0
        ? Atom()
        : Gen.OneOf(
            Atom(),
            Gen.Zip(Condition(depth - 1), Condition(depth - 1)).Select(t => (Expr)new AndExpr(t.Item1, t.Item2)),
            Gen.Zip(Condition(depth - 1), Condition(depth - 1)).Select(t => (Expr)new OrExpr(t.Item1, t.Item2)),
            Condition(depth - 1).Select(e => (Expr)new UnaryExpr(UnaryOp.Not, e)),
            from c in Condition(depth - 1) from t in Condition(depth - 1) from e in Condition(depth - 1) select (Expr)new IfExpr(c, t, e));

    private static Gen<Policy> PolicyGen(int index) =>
        from effect in Gen.Elements(Effect.Permit, Effect.Permit, Effect.Forbid)
        from n in Gen.Choose(0, 2)
        from conditions in Gen.ListOf(Gen.Zip(Gen.Elements(ConditionKind.When, ConditionKind.Unless), Condition(2)), n)
        select new Policy($"policy{index}", effect, ScopeConstraint.Any, ActionConstraint.Any, ScopeConstraint.Any,
            conditions.Select(c => new Condition(c.Item1, c.Item2)).ToArray(), ValueList<Annotation>.Empty);

    private static Arbitrary<Policy[]> PolicySets() =>
        Arb.From(from count in Gen.Choose(1, 6)
                 from policies in Gen.CollectToArray(Enumerable.Range(0, count).Select(PolicyGen))
                 select policies);

    [Property(MaxTest = 500)]
    public Property CouldAllow_IsSound_AnyAllowedArgumentsImplyCouldAllow() =>
        Prop.ForAll(PolicySets(), policies =>
        {
            var set = new PolicySet([.. policies], ImmutableArray<Policy>.Empty);
            var could = new PartialAuthorizer(set, ["args"]).CouldAllow(Req(), Store).CouldAllow;
            var authorizer = new Authorizer(set);
            var someAllowed = authorizer.IsAuthorized(Req(), Store).IsAllowed
                              || ArgValues.Any(a => authorizer.IsAuthorized(Req(a), Store).IsAllowed);
            return !someAllowed || could;
        });

    [Property(MaxTest = 300)]
    public Property CouldAllow_WithoutUnknownReads_EqualsTheDecision() =>
        Prop.ForAll(PolicySets(), policies =>
        {
            var set = new PolicySet([.. policies], ImmutableArray<Policy>.Empty);
            // With nothing unknown, partial evaluation is plain evaluation.
            var partial = new PartialAuthorizer(set, []).CouldAllow(Req(), Store).CouldAllow;
            return partial == new Authorizer(set).IsAuthorized(Req(), Store).IsAllowed;
        });
}
