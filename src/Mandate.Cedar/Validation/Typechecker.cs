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
internal sealed class Typechecker
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

    private Typed CheckSet(SetExpr x, ImmutableHashSet<Capability> prior)
    {
        if (x.Elements.Count == 0)
        {
            if (Strict)
            {
                Report(ValidationCodes.EmptySetForbidden, "empty set literals are forbidden in policies", x);
                return Typed.Of(null);
            }
            return Typed.Of(new TcSet(null));
        }
        var types = new List<TcType>();
        var unknown = false;
        foreach (var el in x.Elements)
        {
            var t = Check(el, prior).Type;
            if (t is null) unknown = true;
            else types.Add(t);
        }
        if (unknown) return Typed.Of(null);
        TcType? lub = types[0];
        for (var i = 1; i < types.Count && lub is not null; i++) lub = TypeLub.Lub(lub, types[i], _mode);
        if (lub is null)
        {
            Report(ValidationCodes.IncompatibleTypes, $"the types {JoinTypes(types)} are not compatible", x);
            return Typed.Of(null);
        }
        return Typed.Of(new TcSet(lub));
    }

    private Typed CheckRecord(RecordExpr x, ImmutableHashSet<Capability> prior)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, TcAttr>(StringComparer.Ordinal);
        var unknown = false;
        foreach (var entry in x.Entries)
        {
            var t = Check(entry.Value, prior).Type;
            if (t is null) unknown = true;
            else builder[entry.Key] = new TcAttr(t, true);
        }
        return Typed.Of(unknown ? null : new TcRecord(builder.ToImmutable(), open: false));
    }

    private Typed CheckCall(ExtensionCallExpr x, ImmutableHashSet<Capability> prior)
    {
        var args = x.Arguments.Select(a => Check(a, prior).Type).ToArray();
        var sig = ExtensionSignatures.Find(x.Function);
        if (sig is null)
        {
            Report(ValidationCodes.UndefinedFunction, $"undefined extension function: {x.Function}", x);
            return Typed.Of(null);
        }
        if (Strict && sig.IsConstructor && x.Arguments.Any(a => a is not (StringLiteral or LongLiteral or BoolLiteral or EntityLiteral)))
        {
            Report(ValidationCodes.NonLiteralExtensionConstructor, "extension constructors may not be called with non-literal expressions", x);
            if (args.Length == sig.Parameters.Length) return Typed.Of(sig.Result);
        }
        if (args.Length != sig.Parameters.Length)
        {
            Report(ValidationCodes.WrongArity, $"wrong number of arguments in extension function application. Expected {sig.Parameters.Length}, got {args.Length}", x);
            return Typed.Of(sig.Result);
        }
        if (sig.IsConstructor)
        {
            if (x.Arguments[0] is StringLiteral lit)
            {
                if (sig.ParseLiteral!(lit.Value) is { } problem)
                {
                    Report(ValidationCodes.ExtensionArgument, $"error during extension function argument validation: {problem}", x);
                }
                return Typed.Of(sig.Result);
            }
        }
        for (var i = 0; i < args.Length; i++) Expect(args[i], sig.Parameters[i], x.Arguments[i]);
        return Typed.Of(sig.Result);
    }

    private Typed CheckGetAttr(GetAttrExpr x, ImmutableHashSet<Capability> prior)
    {
        var t = Check(x.Target, prior).Type;
        if (t is null) return Typed.Of(null);
        var safe = prior.Contains(new Capability(x.Target, x.Attribute, null));
        switch (t)
        {
            case TcRecord r:
                if (!r.Attributes.TryGetValue(x.Attribute, out var attr))
                {
                    Report(ValidationCodes.AttributeNotFound, $"attribute `{x.Attribute}` on record type `{r}` not found", x);
                    return Typed.Of(null);
                }
                if (!attr.Required && !safe)
                {
                    Report(ValidationCodes.UnsafeOptionalAttributeAccess, $"unable to guarantee safety of access to optional attribute `{x.Attribute}`", x);
                }
                return Typed.Of(attr.Type);
            case TcEntity e:
                {
                    TcType? result = null;
                    foreach (var type in e.Types)
                    {
                        var shape = _schema.FindEntityType(type)?.Shape;
                        var a = shape?.Find(x.Attribute);
                        if (a is null)
                        {
                            Report(ValidationCodes.AttributeNotFound, $"attribute `{x.Attribute}` on entity type `{type}` not found", x);
                            return Typed.Of(null);
                        }
                        if (!a.Required && !safe)
                        {
                            Report(ValidationCodes.UnsafeOptionalAttributeAccess, $"unable to guarantee safety of access to optional attribute `{x.Attribute}` on entity type `{type}`", x);
                            return Typed.Of(null);
                        }
                        var at = TcType.FromSchema(a.Type);
                        result = result is null ? at : TypeLub.Lub(result, at, _mode);
                        if (result is null)
                        {
                            Report(ValidationCodes.IncompatibleTypes, $"attribute `{x.Attribute}` has incompatible types on the entity types `{e}`", x);
                            return Typed.Of(null);
                        }
                    }
                    return Typed.Of(result);
                }
            default:
                UnexpectedType(x.Target, "entity or record", t);
                return Typed.Of(null);
        }
    }

    private Typed CheckHasAttr(HasAttrExpr x, ImmutableHashSet<Capability> prior)
    {
        var t = Check(x.Target, prior).Type;
        if (t is null) return Typed.Of(TcType.AnyBool);
        var cap = new Capability(x.Target, x.Attribute, null);
        switch (t)
        {
            case TcRecord r:
                if (!r.Attributes.TryGetValue(x.Attribute, out var attr)) return Typed.Of(r.Open ? TcType.AnyBool : TcType.False);
                if (prior.Contains(cap) || attr.Required) return Typed.Of(TcType.True);
                return new Typed(TcType.AnyBool, NoCaps.Add(cap));
            case TcEntity e:
                {
                    var declared = false;
                    foreach (var type in e.Types)
                    {
                        if (_schema.FindEntityType(type)?.Shape.Find(x.Attribute) is not null) declared = true;
                    }
                    if (!declared) return Typed.Of(TcType.False);
                    // An entity may be missing from the store, so even a required attribute is
                    // only "maybe" present; the guard still makes the read safe.
                    if (prior.Contains(cap)) return Typed.Of(TcType.True);
                    return new Typed(TcType.AnyBool, NoCaps.Add(cap));
                }
            default:
                UnexpectedType(x.Target, "entity or record", t);
                return Typed.Of(TcType.AnyBool);
        }
    }

    private Typed CheckHasTag(BinaryExpr x, ImmutableHashSet<Capability> prior)
    {
        var l = Check(x.Left, prior).Type;
        var r = Check(x.Right, prior).Type;
        Expect(r, TcType.String, x.Right);
        if (l is null) return Typed.Of(TcType.AnyBool);
        if (l is not TcEntity e)
        {
            UnexpectedType(x.Left, "entity", l);
            return Typed.Of(TcType.AnyBool);
        }
        if (!e.Types.Any(t => _schema.FindEntityType(t)?.Tags is not null)) return Typed.Of(TcType.False);
        var cap = new Capability(x.Left, null, x.Right);
        if (prior.Contains(cap)) return Typed.Of(TcType.True);
        return new Typed(TcType.AnyBool, NoCaps.Add(cap));
    }

    private Typed CheckGetTag(BinaryExpr x, ImmutableHashSet<Capability> prior)
    {
        var l = Check(x.Left, prior).Type;
        var r = Check(x.Right, prior).Type;
        Expect(r, TcType.String, x.Right);
        if (l is null) return Typed.Of(null);
        if (l is not TcEntity e)
        {
            UnexpectedType(x.Left, "entity", l);
            return Typed.Of(null);
        }
        var safe = prior.Contains(new Capability(x.Left, null, x.Right));
        TcType? result = null;
        foreach (var type in e.Types)
        {
            var tags = _schema.FindEntityType(type)?.Tags;
            if (tags is null || !safe)
            {
                Report(ValidationCodes.UnsafeTagAccess, $"unable to guarantee safety of access to tag `{MessageText.Expression(x.Right)}` on entity type `{type}`", x);
                return Typed.Of(null);
            }
            var tt = TcType.FromSchema(tags);
            result = result is null ? tt : TypeLub.Lub(result, tt, _mode);
            if (result is null)
            {
                Report(ValidationCodes.IncompatibleTypes, $"tags have incompatible types on the entity types `{e}`", x);
                return Typed.Of(null);
            }
        }
        return Typed.Of(result);
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
