using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Tests.Syntax;

/// <summary>
/// Generators of well-formed Cedar ASTs (bounded depth): every tree they make is one the parser
/// can produce, so print → parse must give it back unchanged.
/// </summary>
public static class CedarArbitraries
{
    private static readonly string[] Identifiers = ["a", "b", "name", "owner", "principal", "context", "permit", "when", "_x1", "Z"];
    private static readonly string[] Types = ["User", "Group", "NS::Doc", "A::B::C"];
    private static readonly string[] FunctionNames = ["ip", "decimal", "datetime", "duration"];
    private static readonly string[] MethodNames = ["lessThan", "isInRange", "toDate", "offset", "isLoopback", "durationSince"];

    private static readonly Gen<char> Chars = Gen.Elements(
        'a', 'b', 'z', ' ', '*', '"', '\\', '\'', '\n', '\r', '\t', '\0', '\u0001', '\u00e9', '\u4e2d', ':', '.', '{');

    /// <summary>Strings with every character class that needs care when printed.</summary>
    public static readonly Gen<string> Strings = Gen.Frequency(
        (3, Gen.ArrayOf(Chars).Select(cs => new string(cs))),
        (1, Gen.Elements("", "if", "in", "has", "true", "two words", "😀", "a*b")));

    private static readonly Gen<string> Attributes = Gen.Frequency((3, Gen.Elements(Identifiers)), (1, Strings));

    private static readonly Gen<EntityUid> Uids = Gen.Elements(Types).SelectMany(t => Strings, (t, id) => new EntityUid(t, id));

    private static readonly Gen<long> Longs = Gen.Frequency(
        (4, Gen.Choose(-1000, 1000).Select(i => (long)i)),
        (1, Gen.Elements(long.MinValue, long.MaxValue, 0L, -1L, 9_000_000_000L)));

    private static readonly Gen<Expr> Leaves = Gen.OneOf(
        Gen.Elements(true, false).Select(b => (Expr)new BoolLiteral(b)),
        Longs.Select(l => (Expr)new LongLiteral(l)),
        Strings.Select(s => (Expr)new StringLiteral(s)),
        Uids.Select(u => (Expr)new EntityLiteral(u)),
        Gen.Elements(Var.Principal, Var.Action, Var.Resource, Var.Context).Select(v => (Expr)new VarExpr(v)));

    private static readonly Gen<LikePattern> Patterns =
        Gen.ArrayOf(Gen.Frequency((1, Gen.Constant(LikePatternPart.Wildcard)), (2, Strings.Where(s => s.Length > 0).Select(LikePatternPart.Literal))))
            .Select(parts =>
            {
                // The parser merges adjacent text, so generate text runs that are already merged.
                var merged = new List<LikePatternPart>();
                foreach (var p in parts)
                {
                    if (!p.IsWildcard && merged.Count > 0 && !merged[^1].IsWildcard) merged[^1] = LikePatternPart.Literal(merged[^1].Text + p.Text);
                    else merged.Add(p);
                }
                return new LikePattern(merged.ToImmutableArray());
            });

    /// <summary>Expressions of at most <paramref name="depth"/> levels.</summary>
    public static Gen<Expr> Exprs(int depth)
    {
        if (depth <= 1) return Leaves;
        var sub = Exprs(depth - 1);
        var small = Gen.ArrayOf(sub).Select(a => a.Take(3).ToArray());
        return Gen.Frequency(
            (3, Leaves),
            (1, Gen.Zip(sub, sub).SelectMany(p => sub, (p, e) => (Expr)new IfExpr(p.Item1, p.Item2, e))),
            (2, Gen.Zip(sub, sub).Select(p => (Expr)new AndExpr(p.Item1, p.Item2))),
            (2, Gen.Zip(sub, sub).Select(p => (Expr)new OrExpr(p.Item1, p.Item2))),
            (2, Gen.Elements(UnaryOp.Not, UnaryOp.Negate, UnaryOp.IsEmpty).SelectMany(_ => sub, (op, e) => (Expr)new UnaryExpr(op, e))),
            (4, Gen.Elements(Enum.GetValues<BinaryOp>()).SelectMany(_ => Gen.Zip(sub, sub), (op, p) => (Expr)new BinaryExpr(op, p.Item1, p.Item2))),
            (2, Gen.Zip(sub, Attributes).Select(p => (Expr)new GetAttrExpr(p.Item1, p.Item2))),
            (1, Gen.Zip(sub, Attributes).Select(p => (Expr)new HasAttrExpr(p.Item1, p.Item2))),
            (1, Gen.Zip(sub, Patterns).Select(p => (Expr)new LikeExpr(p.Item1, p.Item2))),
            (1, Gen.Zip(sub, Gen.Elements(Types)).SelectMany(_ => Gen.OneOf(Gen.Constant<Expr?>(null), sub.Select(e => (Expr?)e)),
                (p, inExpr) => (Expr)new IsExpr(p.Item1, p.Item2, inExpr))),
            (1, small.Select(a => (Expr)new SetExpr(a.ToImmutableArray()))),
            (1, Gen.ArrayOf(Gen.Zip(Attributes, sub)).Select(entries => (Expr)new RecordExpr(entries
                .DistinctBy(e => e.Item1).Take(3).Select(e => new RecordEntry(e.Item1, e.Item2)).ToImmutableArray()))),
            (1, Gen.Elements(FunctionNames).SelectMany(_ => small, (f, args) => (Expr)new ExtensionCallExpr(f, args.ToImmutableArray()))),
            (1, Gen.Elements(MethodNames).SelectMany(_ => Gen.Zip(sub, small),
                (m, p) => (Expr)new ExtensionCallExpr(m, p.Item2.Prepend(p.Item1).ToImmutableArray()))));
    }

    private static Gen<ScopeConstraint> Scopes(SlotId slot)
    {
        var entity = Gen.Frequency(
            (3, Uids.Select(u => (EntityRef)new EntityRef.Literal(u))),
            (1, Gen.Constant((EntityRef)new EntityRef.SlotRef(slot))));
        return Gen.OneOf(
            Gen.Constant(ScopeConstraint.Any),
            entity.Select(e => new ScopeConstraint(ScopeKind.Equal, e)),
            entity.Select(e => new ScopeConstraint(ScopeKind.In, e)),
            Gen.Elements(Types).Select(t => new ScopeConstraint(ScopeKind.Is, null, t)),
            Gen.Zip(entity, Gen.Elements(Types)).Select(p => new ScopeConstraint(ScopeKind.IsIn, p.Item1, p.Item2)));
    }

    private static readonly Gen<EntityUid> ActionUids =
        Gen.Elements("Action", "NS::Action").SelectMany(t => Strings, (t, id) => new EntityUid(t, id));

    private static readonly Gen<ActionConstraint> ActionScopes = Gen.OneOf(
        Gen.Constant(ActionConstraint.Any),
        ActionUids.Select(u => new ActionConstraint(ActionScopeKind.Equal, ImmutableArray.Create(u))),
        ActionUids.Select(u => new ActionConstraint(ActionScopeKind.In, ImmutableArray.Create(u))),
        Gen.ArrayOf(ActionUids).Select(us => new ActionConstraint(ActionScopeKind.InList, us.Take(4).ToImmutableArray())));

    private static readonly Gen<Annotation[]> Annotations =
        Gen.ArrayOf(Gen.Zip(Gen.Elements("id", "reason", "step_up", "if", "x1"), Strings))
            .Select(a => a.DistinctBy(p => p.Item1).Select(p => new Annotation(p.Item1, p.Item2)).ToArray());

    /// <summary>Whole policies and templates, with conditions of bounded depth.</summary>
    public static Gen<Policy> Policies() =>
        Gen.Sized(size =>
        {
            var depth = Math.Clamp(size / 10 + 1, 1, 6);
            var conditions = Gen.ArrayOf(Gen.Zip(Gen.Elements(ConditionKind.When, ConditionKind.Unless), Exprs(depth)))
                .Select(cs => cs.Take(3).Select(c => new Condition(c.Item1, c.Item2)).ToImmutableArray());
            return
                from effect in Gen.Elements(Effect.Permit, Effect.Forbid)
                from principal in Scopes(SlotId.Principal)
                from action in ActionScopes
                from resource in Scopes(SlotId.Resource)
                from conds in conditions
                from annotations in Annotations
                select new Policy("policy0", effect, principal, action, resource, conds, annotations);
        });

    /// <summary>FsCheck entry point for <see cref="Policy"/> parameters.</summary>
    public static Arbitrary<Policy> PolicyArbitrary() => Arb.From(Policies());

    /// <summary>FsCheck entry point for <see cref="Expr"/> parameters (template slots never appear in conditions).</summary>
    public static Arbitrary<Expr> ExprArbitrary() => Arb.From(Gen.Sized(size => Exprs(Math.Clamp(size / 10 + 1, 1, 7))));
}
