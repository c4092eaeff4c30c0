using System.Runtime.CompilerServices;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Evaluation.Nodes;
using Mandate.Cedar.Extensions;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Evaluation;

/// <summary>
/// Turns an AST expression into a tree of compiled nodes, once per policy set: literals become
/// values, extension constructors over literals are evaluated ahead of time, pure subtrees over
/// constants are folded, and chains of <c>&amp;&amp;</c>, <c>||</c>, <c>!</c> and unary <c>-</c>
/// are flattened so they need no deep recursion. Nesting beyond <see cref="MaxDepth"/> compiles
/// to a node that reports an error when evaluated (never a stack overflow).
/// </summary>
internal static class ExprCompiler
{
    /// <summary>The deepest expression nesting compiled; deeper trees evaluate to an error.</summary>
    public const int MaxDepth = 1000;

    public static Node Compile(Expr expr)
    {
        try
        {
            return CompileAt(expr, 0);
        }
        catch (DepthExceededException)
        {
            return new ErrorNode($"expression is nested more than {MaxDepth} levels deep");
        }
    }

    private static Node CompileAt(Expr expr, int depth)
    {
        if (depth > MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw new DepthExceededException();
        var d = depth + 1;
        Node node = expr switch
        {
            BoolLiteral b => new ConstNode(Value.Bool(b.Value)),
            LongLiteral l => new ConstNode(Value.Long(l.Value)),
            StringLiteral s => new ConstNode(Value.String(s.Value)),
            EntityLiteral e => new ConstNode(Value.Entity(e.Uid)),
            VarExpr v => new VarNode(v.Var),
            SlotExpr s => new ErrorNode($"template slot `?{s.Slot.ToString().ToLowerInvariant()}` is not linked"),
            IfExpr i => new IfNode(CompileAt(i.Condition, d), CompileAt(i.Then, d), CompileAt(i.Else, d)),
            AndExpr => new AndNode(Flatten<AndExpr>(expr, a => (a.Left, a.Right), d)),
            OrExpr => new OrNode(Flatten<OrExpr>(expr, o => (o.Left, o.Right), d)),
            UnaryExpr u => CompileUnary(u, d),
            BinaryExpr b => CompileBinary(b, d),
            GetAttrExpr g => new GetAttrNode(CompileAt(g.Target, d), g.Attribute),
            HasAttrExpr h => new HasAttrNode(CompileAt(h.Target, d), h.Attribute),
            LikeExpr l => new LikeNode(CompileAt(l.Target, d), l.Pattern),
            IsExpr i => new IsNode(CompileAt(i.Target, d), i.EntityType, i.In is null ? null : CompileAt(i.In, d)),
            SetExpr s => new SetNode([.. s.Elements.Select(e => CompileAt(e, d))]),
            RecordExpr r => new RecordNode([.. r.Entries.Select(e => e.Key)], [.. r.Entries.Select(e => CompileAt(e.Value, d))]),
            ExtensionCallExpr c => CompileCall(c, d),
            _ => new ErrorNode($"unsupported expression `{expr.GetType().Name}`"),
        };
        return Fold(node);
    }

    private static Node CompileUnary(UnaryExpr u, int depth)
    {
        if (u.Op == UnaryOp.IsEmpty) return new IsEmptyNode(CompileAt(u.Operand, depth));
        // Fold runs of the same operator (`!!!x`, `- - x`) into one node.
        var count = 0;
        Expr inner = u;
        while (inner is UnaryExpr x && x.Op == u.Op)
        {
            count++;
            inner = x.Operand;
        }
        var operand = CompileAt(inner, depth);
        return u.Op == UnaryOp.Not ? new NotNode(operand, count) : new NegateNode(operand, count);
    }

    private static Node CompileBinary(BinaryExpr b, int depth)
    {
        var l = CompileAt(b.Left, depth);
        var r = CompileAt(b.Right, depth);
        return b.Op switch
        {
            BinaryOp.Equal => new EqualNode(l, r, negate: false),
            BinaryOp.NotEqual => new EqualNode(l, r, negate: true),
            BinaryOp.Less or BinaryOp.LessEqual or BinaryOp.Greater or BinaryOp.GreaterEqual => new CompareNode(b.Op, l, r),
            BinaryOp.In => new InNode(l, r),
            BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply => new ArithNode(b.Op, l, r),
            BinaryOp.Contains => new ContainsNode(l, r),
            BinaryOp.ContainsAll => new ContainsSetNode(l, r, all: true),
            BinaryOp.ContainsAny => new ContainsSetNode(l, r, all: false),
            BinaryOp.GetTag => new TagNode(l, r, has: false),
            BinaryOp.HasTag => new TagNode(l, r, has: true),
            _ => new ErrorNode($"unsupported operator `{b.Op}`"),
        };
    }

    private static Node CompileCall(ExtensionCallExpr c, int depth)
    {
        if (!ExtensionFunctions.TryGet(c.Function, out var fn))
        {
            return new ErrorNode($"`{c.Function}` is not a known extension function");
        }
        if (fn.Arity != c.Arguments.Count)
        {
            return new ErrorNode(
                $"wrong number of arguments in extension function application: `{c.Function}` expects {fn.Arity}, got {c.Arguments.Count}");
        }
        return new ExtensionCallNode(fn, [.. c.Arguments.Select(a => CompileAt(a, depth))]);
    }

    // Collects the operands of a chain of T (left- or right-nested) in source order, iteratively.
    private static Node[] Flatten<T>(Expr root, Func<T, (Expr Left, Expr Right)> split, int depth) where T : Expr
    {
        var leaves = new List<Expr>();
        var stack = new Stack<Expr>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (e is T t)
            {
                var (l, r) = split(t);
                stack.Push(r);
                stack.Push(l);
            }
            else
            {
                leaves.Add(e);
            }
        }
        var nodes = new Node[leaves.Count];
        for (var i = 0; i < nodes.Length; i++) nodes[i] = CompileAt(leaves[i], depth);
        return nodes;
    }

    // Evaluates pure nodes whose children are all constants, once, at compile time. A failure
    // becomes an ErrorNode so the error still surfaces only if evaluation reaches it.
    private static Node Fold(Node node)
    {
        if (node is ConstNode or ErrorNode || !node.IsPure) return node;
        foreach (var child in node.Children)
        {
            if (child is not ConstNode) return node;
        }
        var ctx = new EvalContext(null!, EntityStore.Empty); // INVARIANT: pure nodes never read the request.
        var v = node.Eval(ref ctx);
        return v is null ? new ErrorNode(ctx.Error ?? "evaluation error") : new ConstNode(v);
    }

    private sealed class DepthExceededException : Exception;
}
