using Mandate.Cedar.Ast;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Evaluation.Nodes;

/// <summary>
/// <c>e.attr</c> on a record or an entity. Missing attributes and entities absent from the
/// store are errors.
/// </summary>
internal sealed class GetAttrNode(Node target, string attribute) : Node
{
    public override bool IsPure => false;

    public override IEnumerable<Node> Children => [target];

    public override Value? Eval(ref EvalContext ctx)
    {
        var v = target.Eval(ref ctx);
        if (v is null) return null;
        switch (v)
        {
            case RecordValue r:
                return r.TryGet(attribute, out var x)
                    ? x
                    : Fail(ref ctx, $"record does not have the attribute `{attribute}`");
            case EntityValue e:
                if (!ctx.Entities.TryGet(e.Uid, out var entity))
                {
                    return Fail(ref ctx, $"entity `{e.Uid}` does not exist");
                }
                return entity.Attributes.TryGet(attribute, out var y)
                    ? y
                    : Fail(ref ctx, $"`{e.Uid}` does not have the attribute `{attribute}`");
            default:
                return Fail(ref ctx, TypeError("Record or Entity", v));
        }
    }
}

/// <summary><c>e has attr</c>: false for an entity absent from the store.</summary>
internal sealed class HasAttrNode(Node target, string attribute) : Node
{
    public override bool IsPure => false;

    public override IEnumerable<Node> Children => [target];

    public override Value? Eval(ref EvalContext ctx)
    {
        var v = target.Eval(ref ctx);
        if (v is null) return null;
        return v switch
        {
            RecordValue r => Value.Bool(r.Has(attribute)),
            EntityValue e => Value.Bool(ctx.Entities.TryGet(e.Uid, out var entity) && entity.Attributes.Has(attribute)),
            _ => Fail(ref ctx, TypeError("Record or Entity", v)),
        };
    }
}

/// <summary><c>e.getTag(k)</c> (missing tag or entity: error) and <c>e.hasTag(k)</c> (missing: false).</summary>
internal sealed class TagNode(Node left, Node right, bool has) : BinaryNode(left, right)
{
    public override bool IsPure => false;

    protected override Value? Apply(ref EvalContext ctx, Value l, Value r)
    {
        if (l is not EntityValue e) return Fail(ref ctx, TypeError("Entity", l));
        if (r is not StringValue key) return Fail(ref ctx, TypeError("String", r));
        if (!ctx.Entities.TryGet(e.Uid, out var entity))
        {
            return has ? BoolValue.False : Fail(ref ctx, $"entity `{e.Uid}` does not exist");
        }
        if (has) return Value.Bool(entity.Tags.Has(key.Value));
        return entity.Tags.TryGet(key.Value, out var t)
            ? t
            : Fail(ref ctx, $"`{e.Uid}` does not have the tag `{key.Value}`");
    }
}

/// <summary><c>e is T</c> and <c>e is T in x</c>.</summary>
internal sealed class IsNode(Node target, string entityType, Node? inNode) : Node
{
    public override bool IsPure => inNode is null;

    public override IEnumerable<Node> Children => inNode is null ? [target] : [target, inNode];

    public override Value? Eval(ref EvalContext ctx)
    {
        var v = target.Eval(ref ctx);
        if (v is null) return null;
        if (v is not EntityValue e) return Fail(ref ctx, TypeError("Entity", v));
        var typeMatches = string.Equals(e.Uid.Type, entityType, StringComparison.Ordinal);
        // `e is T in x` means `e is T && e in x`: x is not evaluated when the type differs.
        if (inNode is null || !typeMatches) return Value.Bool(typeMatches);
        var r = inNode.Eval(ref ctx);
        if (r is null) return null;
        return InNode.Test(ref ctx, e.Uid, r);
    }
}

/// <summary><c>s like "pattern"</c>.</summary>
internal sealed class LikeNode(Node target, LikePattern pattern) : Node
{
    private readonly LikeMatcher _matcher = new(pattern);

    public override IEnumerable<Node> Children => [target];

    public override Value? Eval(ref EvalContext ctx)
    {
        var v = target.Eval(ref ctx);
        if (v is null) return null;
        return v is StringValue s ? Value.Bool(_matcher.IsMatch(s.Value)) : Fail(ref ctx, TypeError("String", v));
    }
}
