using System.Collections.Immutable;
using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Validation;

// The operators: negation and emptiness, comparison and arithmetic, set membership, equality (with
// literal folding and the action hierarchy), `in` over the schema's entity hierarchy, and `is`.
internal sealed partial class Typechecker
{
    private Typed CheckUnary(UnaryExpr x, ImmutableHashSet<Capability> prior)
    {
        var t = Check(x.Operand, prior).Type;
        switch (x.Op)
        {
            case UnaryOp.Not:
                var k = ExpectBool(t, x.Operand);
                return Typed.Of(t is TcBool b ? b.Not() : k == BoolKind.Any ? TcType.AnyBool : null);
            case UnaryOp.Negate:
                Expect(t, TcType.Long, x.Operand);
                return Typed.Of(TcType.Long);
            default: // IsEmpty
                if (t is not null and not TcSet) UnexpectedType(x.Operand, "Set", t);
                return Typed.Of(TcType.AnyBool);
        }
    }

    private Typed CheckBinary(BinaryExpr x, ImmutableHashSet<Capability> prior)
    {
        switch (x.Op)
        {
            case BinaryOp.Equal:
            case BinaryOp.NotEqual:
                {
                    var eq = CheckEquality(x, prior);
                    return Typed.Of(x.Op == BinaryOp.NotEqual && eq is TcBool b ? b.Not() : eq);
                }
            case BinaryOp.In:
                return Typed.Of(CheckIn(x.Left, x.Right, prior));
            case BinaryOp.Less:
            case BinaryOp.LessEqual:
            case BinaryOp.Greater:
            case BinaryOp.GreaterEqual:
                {
                    var l = Check(x.Left, prior).Type;
                    var r = Check(x.Right, prior).Type;
                    if (l is TcPrim { Name: "datetime" or "duration" } lp)
                    {
                        Expect(r, lp, x.Right);
                    }
                    else
                    {
                        Expect(l, TcType.Long, x.Left);
                        Expect(r, TcType.Long, x.Right);
                    }
                    return Typed.Of(TcType.AnyBool);
                }
            case BinaryOp.Add:
            case BinaryOp.Subtract:
            case BinaryOp.Multiply:
                Expect(Check(x.Left, prior).Type, TcType.Long, x.Left);
                Expect(Check(x.Right, prior).Type, TcType.Long, x.Right);
                return Typed.Of(TcType.Long);
            case BinaryOp.Contains:
                {
                    var l = Check(x.Left, prior).Type;
                    var r = Check(x.Right, prior).Type;
                    if (l is not null and not TcSet) UnexpectedType(x.Left, "Set", l);
                    if (Strict && l is TcSet { Element: { } el } && r is not null && TypeLub.Lub(el, r, _mode) is null)
                    {
                        Incompatible(x, el, r);
                    }
                    return Typed.Of(TcType.AnyBool);
                }
            case BinaryOp.ContainsAll:
            case BinaryOp.ContainsAny:
                {
                    var l = Check(x.Left, prior).Type;
                    var r = Check(x.Right, prior).Type;
                    if (l is not null and not TcSet) UnexpectedType(x.Left, "Set", l);
                    if (r is not null and not TcSet) UnexpectedType(x.Right, "Set", r);
                    if (Strict && l is TcSet { Element: { } le } && r is TcSet { Element: { } re } && TypeLub.Lub(le, re, _mode) is null)
                    {
                        Incompatible(x, l, r);
                    }
                    return Typed.Of(TcType.AnyBool);
                }
            case BinaryOp.HasTag:
                return CheckHasTag(x, prior);
            case BinaryOp.GetTag:
                return CheckGetTag(x, prior);
            default:
                Report(ValidationCodes.UnexpectedType, "unsupported operator", x);
                return Typed.Of(null);
        }
    }

    private TcType? CheckEquality(BinaryExpr x, ImmutableHashSet<Capability> prior)
    {
        var l = Check(x.Left, prior).Type;
        var r = Check(x.Right, prior).Type;
        if (LiteralValue(x.Left) is { } lv && LiteralValue(x.Right) is { } rv) return TcType.Bool(lv.Equals(rv));
        if (l is null || r is null) return TcType.AnyBool;
        if (l is TcEntity le && r is TcEntity re && !le.Types.Overlaps(re.Types)) return TcType.False;
        if (Strict && TypeLub.Lub(l, r, _mode) is null) Incompatible(x, l, r);
        return TcType.AnyBool;
    }

    /// <summary>
    /// The value of a literal, for <c>==</c> between two literals. The <c>action</c> variable
    /// counts as the literal of the environment's action, as Cedar's typechecker substitutes it.
    /// </summary>
    private object? LiteralValue(Expr e) => e switch
    {
        BoolLiteral b => b.Value,
        LongLiteral l => l.Value,
        StringLiteral s => s.Value,
        EntityLiteral u => u.Uid,
        VarExpr { Var: Var.Action } => _env.Action,
        _ => null,
    };

    private EntityUid? ActionUid(Expr e) => e switch
    {
        VarExpr { Var: Var.Action } => _env.Action,
        EntityLiteral u when _schema.FindAction(u.Uid) is not null => u.Uid,
        _ => null,
    };

    private TcType? CheckIn(Expr left, Expr right, ImmutableHashSet<Capability> prior)
    {
        var l = Check(left, prior).Type;
        var r = Check(right, prior).Type;
        if (l is null || r is null) return TcType.AnyBool;
        if (l is not TcEntity le)
        {
            UnexpectedType(left, "entity", l);
            return TcType.AnyBool;
        }
        // An action in a literal action (or set of them): decided by the schema's action hierarchy.
        if (ActionUid(left) is { } action)
        {
            var targets = right switch
            {
                EntityLiteral u => [u.Uid],
                VarExpr { Var: Var.Action } => [_env.Action],
                SetExpr s when s.Elements.All(el => el is EntityLiteral) => s.Elements.Select(el => ((EntityLiteral)el).Uid).ToList(),
                _ => (List<EntityUid>?)null,
            };
            if (targets is not null)
            {
                var ancestors = _schema.ActionAncestors(action);
                return TcType.Bool(targets.Any(t => t == action || ancestors.Contains(t)));
            }
        }
        TcEntity re;
        if (r is TcEntity single) re = single;
        else if (r is TcSet { Element: TcEntity el }) re = el;
        else if (r is TcSet { Element: null }) return TcType.False; // nothing is in the empty set
        else
        {
            UnexpectedType(right, "entity or set of entities", r);
            return TcType.AnyBool;
        }
        foreach (var a in le.Types)
        {
            foreach (var b in re.Types)
            {
                if (_schema.CanBeIn(a, b)) return TcType.AnyBool;
            }
        }
        return TcType.False;
    }

    private Typed CheckIs(IsExpr x, ImmutableHashSet<Capability> prior)
    {
        var t = Check(x.Target, prior).Type;
        TcBool isType;
        if (t is null) isType = TcType.AnyBool;
        else if (t is TcEntity e)
        {
            isType = !e.Types.Contains(x.EntityType) ? TcType.False
                : e.IsSingle ? TcType.True
                : TcType.AnyBool;
        }
        else
        {
            UnexpectedType(x.Target, "entity", t);
            isType = TcType.AnyBool;
        }
        if (x.In is null) return Typed.Of(isType);
        if (isType.Kind == BoolKind.False) return Typed.Of(TcType.False);
        var inType = CheckIn(x.Target, x.In, prior);
        if (inType is TcBool { Kind: BoolKind.False }) return Typed.Of(TcType.False);
        return Typed.Of(isType.Kind == BoolKind.True && inType is TcBool { Kind: BoolKind.True } ? TcType.True : TcType.AnyBool);
    }
}
