using Mandate.Cedar.Ast;
using Mandate.Cedar.Extensions;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Evaluation.Nodes;

/// <summary>Base for two-operand nodes: both operands are evaluated, left first, before the operator applies.</summary>
internal abstract class BinaryNode(Node left, Node right) : Node
{
    public override IEnumerable<Node> Children => [left, right];

    public sealed override Value? Eval(ref EvalContext ctx)
    {
        var l = left.Eval(ref ctx);
        if (l is null) return null;
        var r = right.Eval(ref ctx);
        if (r is null) return null;
        return Apply(ref ctx, l, r);
    }

    protected abstract Value? Apply(ref EvalContext ctx, Value l, Value r);
}

/// <summary><c>==</c> / <c>!=</c>: structural, never an error (different types are unequal).</summary>
internal sealed class EqualNode(Node left, Node right, bool negate) : BinaryNode(left, right)
{
    protected override Value? Apply(ref EvalContext ctx, Value l, Value r) => Value.Bool(l.Equals(r) != negate);
}

/// <summary><c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c> on Long, and on datetime or duration pairs.</summary>
internal sealed class CompareNode(BinaryOp op, Node left, Node right) : BinaryNode(left, right)
{
    protected override Value? Apply(ref EvalContext ctx, Value l, Value r)
    {
        long a, b;
        switch (l)
        {
            case LongValue x when r is LongValue y: a = x.Value; b = y.Value; break;
            case DatetimeValue x when r is DatetimeValue y: a = x.EpochMilliseconds; b = y.EpochMilliseconds; break;
            case DurationValue x when r is DurationValue y: a = x.Milliseconds; b = y.Milliseconds; break;
            case LongValue or DatetimeValue or DurationValue:
                return Fail(ref ctx, TypeError(l.TypeName, r));
            default:
                return Fail(ref ctx, TypeError("Long", l));
        }
        return Value.Bool(op switch
        {
            BinaryOp.Less => a < b,
            BinaryOp.LessEqual => a <= b,
            BinaryOp.Greater => a > b,
            _ => a >= b,
        });
    }
}

/// <summary><c>+</c>, <c>-</c>, <c>*</c> on Long with overflow reported as an error.</summary>
internal sealed class ArithNode(BinaryOp op, Node left, Node right) : BinaryNode(left, right)
{
    protected override Value? Apply(ref EvalContext ctx, Value l, Value r)
    {
        if (l is not LongValue a) return Fail(ref ctx, TypeError("Long", l));
        if (r is not LongValue b) return Fail(ref ctx, TypeError("Long", r));
        long result;
        bool overflow;
        switch (op)
        {
            case BinaryOp.Add:
                result = unchecked(a.Value + b.Value);
                overflow = ((a.Value ^ result) & (b.Value ^ result)) < 0;
                break;
            case BinaryOp.Subtract:
                result = unchecked(a.Value - b.Value);
                overflow = ((a.Value ^ b.Value) & (a.Value ^ result)) < 0;
                break;
            default:
                var wide = Math.BigMul(a.Value, b.Value, out var low);
                result = low;
                overflow = wide != (low >> 63);
                break;
        }
        if (overflow)
        {
            var sym = op switch { BinaryOp.Add => "+", BinaryOp.Subtract => "-", _ => "*" };
            return Fail(ref ctx, $"integer overflow while attempting to evaluate `{a.Value} {sym} {b.Value}`");
        }
        return Value.Long(result);
    }
}

/// <summary>Unary <c>-</c> on Long, folded for chains; only negating long.MinValue overflows.</summary>
internal sealed class NegateNode(Node operand, int count) : Node
{
    public override IEnumerable<Node> Children => [operand];

    public override Value? Eval(ref EvalContext ctx)
    {
        var v = operand.Eval(ref ctx);
        if (v is null) return null;
        if (v is not LongValue l) return Fail(ref ctx, TypeError("Long", v));
        // INVARIANT: after one negation of a value other than MinValue the result is never MinValue,
        // so only the first negation can overflow.
        if (l.Value == long.MinValue) return Fail(ref ctx, $"integer overflow while attempting to negate `{l.Value}`");
        return (count & 1) == 1 ? Value.Long(-l.Value) : l;
    }
}

/// <summary>
/// <c>e in E</c> and <c>e in [E1, E2]</c>: the left must be an entity; true when it equals the
/// right entity or has it as an ancestor. Entities absent from the store only match by equality.
/// </summary>
internal sealed class InNode(Node left, Node right) : BinaryNode(left, right)
{
    public override bool IsPure => false;

    protected override Value? Apply(ref EvalContext ctx, Value l, Value r)
    {
        if (l is not EntityValue e) return Fail(ref ctx, TypeError("Entity", l));
        return Test(ref ctx, e.Uid, r);
    }

    internal static Value? Test(ref EvalContext ctx, EntityUid uid, Value r)
    {
        if (r is EntityValue target)
        {
            return Value.Bool(uid.Equals(target.Uid) || ctx.Entities.IsDescendantOf(uid, target.Uid));
        }
        if (r is SetValue set)
        {
            var ancestors = ctx.Entities.AncestorSetOf(uid);
            var found = false;
            foreach (var x in set.Items)
            {
                if (x is not EntityValue t) return Fail(ref ctx, TypeError("Entity", x));
                if (!found && (uid.Equals(t.Uid) || (ancestors is not null && ancestors.Contains(t.Uid)))) found = true;
            }
            return Value.Bool(found);
        }
        return Fail(ref ctx, TypeError("Entity or Set", r));
    }
}

/// <summary><c>s.contains(x)</c>.</summary>
internal sealed class ContainsNode(Node left, Node right) : BinaryNode(left, right)
{
    protected override Value? Apply(ref EvalContext ctx, Value l, Value r) =>
        l is SetValue s ? Value.Bool(s.Contains(r)) : Fail(ref ctx, TypeError("Set", l));
}

/// <summary><c>s.containsAll(t)</c> / <c>s.containsAny(t)</c>.</summary>
internal sealed class ContainsSetNode(Node left, Node right, bool all) : BinaryNode(left, right)
{
    protected override Value? Apply(ref EvalContext ctx, Value l, Value r)
    {
        if (l is not SetValue a) return Fail(ref ctx, TypeError("Set", l));
        if (r is not SetValue b) return Fail(ref ctx, TypeError("Set", r));
        return Value.Bool(all ? a.ContainsAll(b) : a.ContainsAny(b));
    }
}

/// <summary><c>s.isEmpty()</c>.</summary>
internal sealed class IsEmptyNode(Node operand) : Node
{
    public override IEnumerable<Node> Children => [operand];

    public override Value? Eval(ref EvalContext ctx)
    {
        var v = operand.Eval(ref ctx);
        if (v is null) return null;
        return v is SetValue s ? Value.Bool(s.Count == 0) : Fail(ref ctx, TypeError("Set", v));
    }
}
