using System.Collections.Immutable;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Diagnostics;
using Mandate.Cedar.Schema;

namespace Mandate.Cedar.Validation;

/// <summary>
/// Cedar's typechecker for one policy condition in one <see cref="RequestEnvironment"/>.
/// Follows Cedar's rules: singleton boolean types with short-circuiting (the unevaluated side
/// of <c>false &amp;&amp; e</c> is not checked), capabilities from <c>has</c>/<c>hasTag</c> that
/// make guarded reads safe, <c>==</c> of provably different entities typed <c>False</c>, and the
/// strict-mode restrictions. Errors are collected, and checking goes on with the best type known,
/// so one run reports every problem. A type of null means "unknown after an error".
/// </summary>
/// <remarks>
/// This file holds the dispatch, the conditionals and the reporting; the checks of each kind of
/// expression are in <c>Typechecker.Operators.cs</c>, <c>Typechecker.Literals.cs</c> and
/// <c>Typechecker.Access.cs</c>.
/// </remarks>
internal sealed partial class Typechecker
{
    private readonly CedarSchema _schema;
    private readonly ValidationMode _mode;
    private readonly RequestEnvironment _env;
    private readonly Action<string, string, SourceSpan> _report;

    private readonly record struct Typed(TcType? Type, ImmutableHashSet<Capability> Caps)
    {
        public static Typed Of(TcType? type) => new(type, NoCaps);
    }

    private static readonly ImmutableHashSet<Capability> NoCaps = ImmutableHashSet<Capability>.Empty;

    public Typechecker(CedarSchema schema, ValidationMode mode, RequestEnvironment env, Action<string, string, SourceSpan> report)
    {
        _schema = schema;
        _mode = mode;
        _env = env;
        _report = report;
    }

    private bool Strict => _mode == ValidationMode.Strict;

    /// <summary>Typechecks a policy condition; returns its type (null after errors).</summary>
    public TcType? CheckCondition(Expr condition)
    {
        var t = Check(condition, NoCaps);
        ExpectBool(t.Type, condition);
        return t.Type;
    }

    private Typed Check(Expr e, ImmutableHashSet<Capability> prior)
    {
        switch (e)
        {
            case BoolLiteral b: return Typed.Of(TcType.Bool(b.Value));
            case LongLiteral: return Typed.Of(TcType.Long);
            case StringLiteral: return Typed.Of(TcType.String);
            case EntityLiteral lit:
                // Unknown types are reported once by the policy-wide name check.
                return Typed.Of(_schema.IsKnownEntityType(lit.Uid.Type) ? new TcEntity(lit.Uid.Type) : null);
            case VarExpr v: return Typed.Of(TypeOfVar(v.Var));
            case SlotExpr s:
                var slotType = s.Slot == SlotId.Principal ? _env.PrincipalSlotType : _env.ResourceSlotType;
                return Typed.Of(slotType is null ? null : new TcEntity(slotType));
            case IfExpr x: return CheckIf(x, prior);
            case AndExpr x: return CheckAnd(x.Left, x.Right, prior);
            case OrExpr x: return CheckOr(x, prior);
            case UnaryExpr x: return CheckUnary(x, prior);
            case BinaryExpr x: return CheckBinary(x, prior);
            case GetAttrExpr x: return CheckGetAttr(x, prior);
            case HasAttrExpr x: return CheckHasAttr(x, prior);
            case LikeExpr x:
                Expect(Check(x.Target, prior).Type, TcType.String, x.Target);
                return Typed.Of(TcType.AnyBool);
            case IsExpr x: return CheckIs(x, prior);
            case SetExpr x: return CheckSet(x, prior);
            case RecordExpr x: return CheckRecord(x, prior);
            case ExtensionCallExpr x: return CheckCall(x, prior);
            default:
                Report(ValidationCodes.UnexpectedType, "unsupported expression", e);
                return Typed.Of(null);
        }
    }

    private TcType TypeOfVar(Var v) => v switch
    {
        Var.Principal => new TcEntity(_env.PrincipalType),
        Var.Action => new TcEntity(_env.Action.Type),
        Var.Resource => new TcEntity(_env.ResourceType),
        _ => _env.Context,
    };

    private Typed CheckIf(IfExpr x, ImmutableHashSet<Capability> prior)
    {
        var c = Check(x.Condition, prior);
        var kind = ExpectBool(c.Type, x.Condition);
        if (kind == BoolKind.True)
        {
            var t = Check(x.Then, prior.Union(c.Caps));
            return new Typed(t.Type, c.Caps.Union(t.Caps));
        }
        if (kind == BoolKind.False) return Check(x.Else, prior);
        var then = Check(x.Then, prior.Union(c.Caps));
        var els = Check(x.Else, prior);
        var caps = c.Caps.Union(then.Caps).Intersect(els.Caps);
        if (then.Type is null || els.Type is null) return new Typed(null, caps);
        var lub = TypeLub.Lub(then.Type, els.Type, _mode);
        if (lub is null) Incompatible(x, then.Type, els.Type);
        return new Typed(lub, caps);
    }

    private Typed CheckAnd(Expr left, Expr right, ImmutableHashSet<Capability> prior)
    {
        var l = Check(left, prior);
        var lk = ExpectBool(l.Type, left);
        if (lk == BoolKind.False) return Typed.Of(TcType.False);
        var r = Check(right, prior.Union(l.Caps));
        var rk = ExpectBool(r.Type, right);
        if (rk == BoolKind.False) return Typed.Of(TcType.False);
        var type = lk == BoolKind.True && rk == BoolKind.True ? TcType.True : TcType.AnyBool;
        return new Typed(type, l.Caps.Union(r.Caps));
    }

    private Typed CheckOr(OrExpr x, ImmutableHashSet<Capability> prior)
    {
        var l = Check(x.Left, prior);
        var lk = ExpectBool(l.Type, x.Left);
        if (lk == BoolKind.True) return Typed.Of(TcType.True);
        var r = Check(x.Right, prior);
        var rk = ExpectBool(r.Type, x.Right);
        if (lk == BoolKind.False) return new Typed(rk switch { BoolKind.True => TcType.True, BoolKind.False => TcType.False, _ => TcType.AnyBool }, r.Caps);
        if (rk == BoolKind.True) return Typed.Of(TcType.True);
        if (rk == BoolKind.False) return new Typed(TcType.AnyBool, l.Caps);
        return new Typed(TcType.AnyBool, l.Caps.Intersect(r.Caps));
    }

    private BoolKind ExpectBool(TcType? t, Expr at)
    {
        if (t is null) return BoolKind.Any;
        if (t is TcBool b) return b.Kind;
        UnexpectedType(at, "Bool", t);
        return BoolKind.Any;
    }

    private void Expect(TcType? actual, TcType expected, Expr at)
    {
        if (actual is null) return;
        var ok = expected is TcBool ? actual is TcBool : actual.Same(expected);
        if (!ok) UnexpectedType(at, expected.ToString()!, actual);
    }

    private void UnexpectedType(Expr at, string expected, TcType actual) =>
        Report(ValidationCodes.UnexpectedType, $"unexpected type: expected {expected} but saw {actual}", at);

    private void Incompatible(Expr at, TcType a, TcType b) =>
        Report(ValidationCodes.IncompatibleTypes, $"the types {JoinTypes([a, b])} are not compatible", at);

    private static string JoinTypes(List<TcType> types)
    {
        var distinct = new List<TcType>();
        foreach (var t in types)
        {
            if (!distinct.Any(d => d.Same(t))) distinct.Add(t);
        }
        distinct.Sort(TypeOrder.Instance);
        if (distinct.Count <= 2) return string.Join(" and ", distinct);
        return string.Join(", ", distinct.Take(distinct.Count - 1)) + ", and " + distinct[^1];
    }

    private void Report(string code, string message, Expr at) => _report(code, message, at.Span);
}
