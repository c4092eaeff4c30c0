using Mandate.Cedar.Values;

namespace Mandate.Cedar.Evaluation.Nodes;

/// <summary>
/// <c>a &amp;&amp; b &amp;&amp; …</c>, flattened to n operands (so long chains need no deep
/// recursion). Short-circuits on the first false; every operand reached must be a Bool.
/// </summary>
internal sealed class AndNode(Node[] operands) : Node
{
    public override IEnumerable<Node> Children => operands;

    public override Value? Eval(ref EvalContext ctx)
    {
        foreach (var op in operands)
        {
            var v = op.Eval(ref ctx);
            if (v is null) return null;
            if (v is not BoolValue b) return Fail(ref ctx, TypeError("Bool", v));
            if (!b.Value) return BoolValue.False;
        }
        return BoolValue.True;
    }
}

/// <summary><c>a || b || …</c>, flattened; short-circuits on the first true.</summary>
internal sealed class OrNode(Node[] operands) : Node
{
    public override IEnumerable<Node> Children => operands;

    public override Value? Eval(ref EvalContext ctx)
    {
        foreach (var op in operands)
        {
            var v = op.Eval(ref ctx);
            if (v is null) return null;
            if (v is not BoolValue b) return Fail(ref ctx, TypeError("Bool", v));
            if (b.Value) return BoolValue.True;
        }
        return BoolValue.False;
    }
}

/// <summary><c>!!…!e</c>: <paramref name="count"/> negations folded into one node.</summary>
internal sealed class NotNode(Node operand, int count) : Node
{
    public override IEnumerable<Node> Children => [operand];

    public override Value? Eval(ref EvalContext ctx)
    {
        var v = operand.Eval(ref ctx);
        if (v is null) return null;
        if (v is not BoolValue b) return Fail(ref ctx, TypeError("Bool", v));
        return (count & 1) == 1 ? Value.Bool(!b.Value) : b;
    }
}

/// <summary><c>if c then t else e</c>; the condition must be a Bool.</summary>
internal sealed class IfNode(Node condition, Node then, Node otherwise) : Node
{
    public override IEnumerable<Node> Children => [condition, then, otherwise];

    public override Value? Eval(ref EvalContext ctx)
    {
        var c = condition.Eval(ref ctx);
        if (c is null) return null;
        if (c is not BoolValue b) return Fail(ref ctx, TypeError("Bool", c));
        return b.Value ? then.Eval(ref ctx) : otherwise.Eval(ref ctx);
    }
}
