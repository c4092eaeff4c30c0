using Mandate.Cedar.Extensions;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Evaluation.Nodes;

/// <summary>A set literal whose elements are computed per evaluation.</summary>
internal sealed class SetNode(Node[] elements) : Node
{
    public override IEnumerable<Node> Children => elements;

    public override Value? Eval(ref EvalContext ctx)
    {
        var values = new Value[elements.Length];
        for (var i = 0; i < elements.Length; i++)
        {
            var v = elements[i].Eval(ref ctx);
            if (v is null) return null;
            values[i] = v;
        }
        return SetValue.Create(values);
    }
}

/// <summary>A record literal whose fields are computed per evaluation.</summary>
internal sealed class RecordNode(string[] keys, Node[] values) : Node
{
    public override IEnumerable<Node> Children => values;

    public override Value? Eval(ref EvalContext ctx)
    {
        var dict = new Dictionary<string, Value>(keys.Length, StringComparer.Ordinal);
        for (var i = 0; i < keys.Length; i++)
        {
            var v = values[i].Eval(ref ctx);
            if (v is null) return null;
            dict[keys[i]] = v;
        }
        return RecordValue.Adopt(dict);
    }
}

/// <summary>An extension function or method call; arity was checked at compile time.</summary>
internal sealed class ExtensionCallNode(ExtensionFunction function, Node[] arguments) : Node
{
    public override IEnumerable<Node> Children => arguments;

    public override Value? Eval(ref EvalContext ctx)
    {
        // Arities are 1 or 2: evaluate into a small inline buffer instead of an array.
        ArgBuffer buffer = default;
        Span<Value> args = buffer;
        for (var i = 0; i < arguments.Length; i++)
        {
            var v = arguments[i].Eval(ref ctx);
            if (v is null) return null;
            args[i] = v;
        }
        var result = function.Implementation(args[..arguments.Length], out var error);
        return result ?? Fail(ref ctx, error ?? $"error in `{function.Name}`");
    }

    [System.Runtime.CompilerServices.InlineArray(4)]
    private struct ArgBuffer
    {
        private Value _first;
    }
}
