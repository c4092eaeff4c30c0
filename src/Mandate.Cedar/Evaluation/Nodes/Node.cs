using Mandate.Cedar.Values;

namespace Mandate.Cedar.Evaluation.Nodes;

/// <summary>
/// A compiled expression. <see cref="Eval"/> returns the value, or null after setting
/// <see cref="EvalContext.Error"/>.
/// </summary>
internal abstract class Node
{
    /// <summary>Whether the result depends only on the children's values (not on the request or entities).</summary>
    public virtual bool IsPure => true;

    /// <summary>The child nodes (used for constant folding).</summary>
    public abstract IEnumerable<Node> Children { get; }

    public abstract Value? Eval(ref EvalContext ctx);

    protected static Value? Fail(ref EvalContext ctx, string message)
    {
        ctx.Error = message;
        return null;
    }

    protected static string TypeError(string expected, Value got) => $"type error: expected {expected}, got {got.TypeName}";
}

/// <summary>A precomputed value.</summary>
internal sealed class ConstNode(Value value) : Node
{
    public Value Value { get; } = value;

    public override IEnumerable<Node> Children => [];

    public override Value? Eval(ref EvalContext ctx) => Value;
}

/// <summary>An expression known at compile time to fail; the error is raised only if it is reached.</summary>
internal sealed class ErrorNode(string message) : Node
{
    public string Message { get; } = message;

    public override IEnumerable<Node> Children => [];

    public override Value? Eval(ref EvalContext ctx) => Fail(ref ctx, Message);
}
