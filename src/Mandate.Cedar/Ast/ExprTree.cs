namespace Mandate.Cedar.Ast;

/// <summary>Structural helpers over expression trees that never recurse (safe on any depth).</summary>
public static class ExprTree
{
    /// <summary>The direct children of <paramref name="e"/>, in source order.</summary>
    public static IEnumerable<Expr> Children(Expr e)
    {
        switch (e)
        {
            case IfExpr x: yield return x.Condition; yield return x.Then; yield return x.Else; break;
            case AndExpr x: yield return x.Left; yield return x.Right; break;
            case OrExpr x: yield return x.Left; yield return x.Right; break;
            case UnaryExpr x: yield return x.Operand; break;
            case BinaryExpr x: yield return x.Left; yield return x.Right; break;
            case GetAttrExpr x: yield return x.Target; break;
            case HasAttrExpr x: yield return x.Target; break;
            case LikeExpr x: yield return x.Target; break;
            case IsExpr x:
                yield return x.Target;
                if (x.In is not null) yield return x.In;
                break;
            case SetExpr x: foreach (var c in x.Elements) yield return c; break;
            case RecordExpr x: foreach (var c in x.Entries) yield return c.Value; break;
            case ExtensionCallExpr x: foreach (var c in x.Arguments) yield return c; break;
        }
    }

    /// <summary>
    /// The height of the tree (a leaf is 1), computed with an explicit stack. Stops counting
    /// once <paramref name="limit"/> is exceeded and returns <c>limit + 1</c>.
    /// </summary>
    public static int Depth(Expr root, int limit = int.MaxValue)
    {
        var max = 0;
        var stack = new Stack<(Expr Node, int Depth)>();
        stack.Push((root, 1));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            if (depth > max)
            {
                max = depth;
                if (max > limit) return limit + 1;
            }
            foreach (var child in Children(node)) stack.Push((child, depth + 1));
        }
        return max;
    }
}
