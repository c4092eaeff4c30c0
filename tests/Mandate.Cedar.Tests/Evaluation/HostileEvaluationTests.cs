using System.Collections.Immutable;
using System.Diagnostics;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Authorization;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Evaluation;
using Mandate.Cedar.Requests;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Tests.Evaluation;

/// <summary>Inputs built to hurt: cycles, very deep trees, pathological patterns, huge sets.</summary>
public class HostileEvaluationTests
{
    private static readonly Request Req = new(new EntityUid("User", "a"), new EntityUid("Action", "x"), new EntityUid("Doc", "d"));

    private static Policy Permit(Expr condition) => new("policy0", Effect.Permit, ScopeConstraint.Any, ActionConstraint.Any,
        ScopeConstraint.Any, new[] { new Condition(ConditionKind.When, condition) }, ValueList<Annotation>.Empty);

    private static Response Decide(Expr condition) =>
        new Authorizer(new PolicySet([Permit(condition)], ImmutableArray<Policy>.Empty)).IsAuthorized(Req, EntityStore.Empty);

    [Fact]
    public void IsAuthorized_EntityCycle_InAnswersAndTerminates()
    {
        var store = new EntityStore([
            new Entity(new EntityUid("User", "a"), parents: [new EntityUid("Group", "g1")]),
            new Entity(new EntityUid("Group", "g1"), parents: [new EntityUid("Group", "g2")]),
            new Entity(new EntityUid("Group", "g2"), parents: [new EntityUid("Group", "g1"), new EntityUid("User", "a")]),
        ]);
        var policy = new Policy("policy0", Effect.Permit,
            new ScopeConstraint(ScopeKind.In, new EntityRef.Literal(new EntityUid("Group", "g2"))),
            ActionConstraint.Any, ScopeConstraint.Any, ValueList<Condition>.Empty, ValueList<Annotation>.Empty);
        var response = new Authorizer(new PolicySet([policy], [])).IsAuthorized(Req, store);
        Assert.True(response.IsAllowed);
        Assert.True(store.IsDescendantOf(new EntityUid("Group", "g1"), new EntityUid("Group", "g1")));
    }

    [Fact]
    public void Evaluate_HundredThousandNots_Answers()
    {
        Expr e = new BoolLiteral(true);
        for (var i = 0; i < 100_000; i++) e = new UnaryExpr(UnaryOp.Not, e);
        var result = Evaluator.Evaluate(e, Req, EntityStore.Empty);
        Assert.Equal(Value.True, result.Value); // an even number of negations
    }

    [Fact]
    public void IsAuthorized_HundredThousandDeepAndChain_Answers()
    {
        // Conditions read the context so nothing is folded away at compile time.
        Expr flag = new GetAttrExpr(new VarExpr(Var.Context), "flag");
        Expr left = flag, right = flag;
        for (var i = 0; i < 100_000; i++)
        {
            left = new AndExpr(left, flag);
            right = new AndExpr(flag, right);
        }
        var request = new Request(Req.Principal, Req.Action, Req.Resource, Value.Record([new("flag", Value.True)]));
        foreach (var chain in new[] { left, right })
        {
            var response = new Authorizer(new PolicySet([Permit(chain)], [])).IsAuthorized(request, EntityStore.Empty);
            Assert.True(response.IsAllowed);
        }
    }

    [Fact]
    public void IsAuthorized_HundredThousandDeepArithmetic_ReportsDepthErrorWithoutCrashing()
    {
        Expr e = new LongLiteral(1);
        for (var i = 0; i < 100_000; i++) e = new BinaryExpr(BinaryOp.Add, e, new LongLiteral(1));
        var response = Decide(new BinaryExpr(BinaryOp.Greater, e, new LongLiteral(0)));
        Assert.False(response.IsAllowed);
        var error = Assert.Single(response.Errors);
        Assert.Contains("nested", error.Message);
    }

    [Fact]
    public void IsAuthorized_ModeratelyDeepArithmetic_Evaluates()
    {
        Expr e = new LongLiteral(0);
        for (var i = 0; i < 500; i++) e = new BinaryExpr(BinaryOp.Add, e, new GetAttrExpr(new VarExpr(Var.Context), "one"));
        var request = new Request(Req.Principal, Req.Action, Req.Resource, Value.Record([new("one", Value.Long(1))]));
        var policy = Permit(new BinaryExpr(BinaryOp.Equal, e, new LongLiteral(500)));
        Assert.True(new Authorizer(new PolicySet([policy], [])).IsAuthorized(request, EntityStore.Empty).IsAllowed);
    }

    // Linear work here takes well under a second on a quiet machine and took 10 s on a machine loaded twentyfold; the
    // quadratic or exponential algorithms these tests exist to catch take minutes to hours.
    private static readonly TimeSpan ComplexityBound = TimeSpan.FromSeconds(60);

    [Fact]
    public void Evaluate_PathologicalLike_BoundedTime()
    {
        var parts = new List<LikePatternPart>();
        for (var i = 0; i < 50; i++)
        {
            parts.Add(LikePatternPart.Wildcard);
            parts.Add(LikePatternPart.Literal("a"));
        }
        parts.Add(LikePatternPart.Wildcard);
        parts.Add(LikePatternPart.Literal("b"));
        var like = new LikeExpr(new StringLiteral(new string('a', 10_000)), new LikePattern(parts.ToArray()));
        var clock = Stopwatch.StartNew();
        var result = Evaluator.Evaluate(like, Req, EntityStore.Empty);
        clock.Stop();
        Assert.Equal(Value.False, result.Value);
        // A complexity guard, not a speed test: backtracking would take far longer than any load makes linear work take.
        Assert.True(clock.Elapsed < ComplexityBound, $"took {clock.Elapsed}");
    }

    [Fact]
    public void Evaluate_HugeSets_ContainmentAndEquality()
    {
        var elements = Enumerable.Range(0, 100_000).Select(i => (Expr)new LongLiteral(i)).ToArray();
        var big = new SetExpr(elements);
        var reversed = new SetExpr(elements.Reverse().ToArray());
        var clock = Stopwatch.StartNew();
        Assert.Equal(Value.True, Evaluator.Evaluate(new BinaryExpr(BinaryOp.Equal, big, reversed), Req, EntityStore.Empty).Value);
        Assert.Equal(Value.True, Evaluator.Evaluate(new BinaryExpr(BinaryOp.ContainsAll, big, reversed), Req, EntityStore.Empty).Value);
        Assert.Equal(Value.False, Evaluator.Evaluate(new BinaryExpr(BinaryOp.Contains, big, new LongLiteral(-1)), Req, EntityStore.Empty).Value);
        clock.Stop();
        // A complexity guard, not a speed test: quadratic set comparison (10^10 steps) would take many minutes.
        Assert.True(clock.Elapsed < ComplexityBound, $"took {clock.Elapsed}");
    }

    [Fact]
    public void Evaluate_HugeLongLiterals_OverflowIsAnError()
    {
        var e = new BinaryExpr(BinaryOp.Multiply, new LongLiteral(long.MaxValue), new LongLiteral(long.MaxValue));
        Assert.Contains("overflow", Evaluator.Evaluate(e, Req, EntityStore.Empty).Error);
        var m = new BinaryExpr(BinaryOp.Multiply, new LongLiteral(long.MinValue), new LongLiteral(-1));
        Assert.Contains("overflow", Evaluator.Evaluate(m, Req, EntityStore.Empty).Error);
    }
}
