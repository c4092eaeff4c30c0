using Mandate.Cedar.Ast;

namespace Mandate.Core.Mcp.ToolArguments;

/// <summary>
/// Checks policies that read <c>context.args</c> against the argument types of the tool they are scoped to
/// (<c>resource == Mandate::Tool::"SERVER/TOOL"</c>): an attribute the tool does not have, and a comparison of an
/// argument with a literal of another type, are problems — the policy could never do what it says. A policy scoped
/// to several tools (<c>in</c> a server, or none) is not checked: which tool's types apply is not known before the call.
/// </summary>
public static class McpArgumentPolicyCheck
{
    /// <summary>One problem: the policy's id and what is wrong.</summary>
    /// <param name="PolicyId">The policy's id.</param>
    /// <param name="Message">What is wrong.</param>
    public sealed record Problem(string PolicyId, string Message);

    /// <summary>The problems of <paramref name="policies"/> against <paramref name="tools"/> (tool name → schema) of <paramref name="server"/>.</summary>
    public static IReadOnlyList<Problem> Check(IEnumerable<Policy> policies, string server, IReadOnlyDictionary<string, McpArgumentSchema> tools)
    {
        var problems = new List<Problem>();
        foreach (var policy in policies)
        {
            if (policy.Resource is not { Kind: ScopeKind.Equal, Entity: EntityRef.Literal { Uid: var uid } } || uid.Type != McpEntityTypes.Tool ||
                !uid.Id.StartsWith(server + "/", StringComparison.Ordinal) || !tools.TryGetValue(uid.Id[(server.Length + 1)..], out var schema))
            {
                continue;
            }

            var tool = uid.Id[(server.Length + 1)..];
            foreach (var condition in policy.Conditions)
            {
                Walk(condition.Body, policy.Id, tool, schema, problems);
            }
        }

        return problems;
    }

    private static void Walk(Expr root, string policyId, string tool, McpArgumentSchema schema, List<Problem> problems)
    {
        var stack = new Stack<Expr>([root]);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            switch (e)
            {
                case GetAttrExpr or HasAttrExpr when ArgsPath(e) is { } path:
                    if (Resolve(schema.Root, path, e is HasAttrExpr) is { } missing)
                    {
                        problems.Add(new Problem(policyId, $"`context.args.{string.Join('.', path)}`: {missing} of tool `{tool}`"));
                        continue;
                    }

                    break;
                case BinaryExpr { Op: var op } b when TypeOf(schema.Root, b.Left) is { } left && Mismatch(op, left, b.Right) is { } why:
                    problems.Add(new Problem(policyId, $"`context.args.{string.Join('.', ArgsPath(b.Left)!)}` of tool `{tool}` {why}"));
                    continue;
                case BinaryExpr { Op: var op } b when TypeOf(schema.Root, b.Right) is { } right && Mismatch(op, right, b.Left) is { } why:
                    problems.Add(new Problem(policyId, $"`context.args.{string.Join('.', ArgsPath(b.Right)!)}` of tool `{tool}` {why}"));
                    continue;
            }

            foreach (var child in ExprTree.Children(e))
            {
                stack.Push(child);
            }
        }
    }

    // context.args.a.b → [a, b]; null for anything not rooted at context.args.
    private static List<string>? ArgsPath(Expr e)
    {
        var names = new List<string>();
        while (true)
        {
            switch (e)
            {
                case GetAttrExpr { Target: VarExpr { Var: Var.Context }, Attribute: "args" }:
                    names.Reverse();
                    return names.Count == 0 ? null : names;
                case GetAttrExpr g:
                    names.Add(g.Attribute);
                    e = g.Target;
                    break;
                case HasAttrExpr h when names.Count == 0:
                    names.Add(h.Attribute);
                    e = h.Target;
                    break;
                default:
                    return null;
            }
        }
    }

    private static string? Resolve(McpArgumentType type, List<string> path, bool isHas)
    {
        var current = type;
        for (var i = 0; i < path.Count; i++)
        {
            if (current.Kind != McpArgumentKind.Record)
            {
                return current.IsMapped ? $"`{path[i - 1]}` is a {current.Kind}, which has no attributes" : null;
            }

            var attribute = current.Attributes.FirstOrDefault(a => a.Name == path[i]);
            if (attribute is null)
            {
                var known = current.Attributes.Count == 0 ? "none" : string.Join(", ", current.Attributes.Select(a => a.Name));
                return isHas && i == path.Count - 1 && !current.Closed ? null : $"`{path[i]}` is not an argument (the arguments: {known})";
            }

            current = attribute.Type;
        }

        return null;
    }

    private static McpArgumentType? TypeOf(McpArgumentType root, Expr e)
    {
        if (e is not GetAttrExpr || ArgsPath(e) is not { } path)
        {
            return null;
        }

        var current = root;
        foreach (var name in path)
        {
            if (current.Kind != McpArgumentKind.Record || current.Attributes.FirstOrDefault(a => a.Name == name) is not { } attribute)
            {
                return null;
            }

            current = attribute.Type;
        }

        return current;
    }

    private static string? Mismatch(BinaryOp op, McpArgumentType argument, Expr other)
    {
        var literal = other switch
        {
            LongLiteral => McpArgumentKind.Long,
            StringLiteral => McpArgumentKind.String,
            BoolLiteral => McpArgumentKind.Bool,
            _ => (McpArgumentKind?)null,
        };
        var ordered = op is BinaryOp.Less or BinaryOp.LessEqual or BinaryOp.Greater or BinaryOp.GreaterEqual;
        if (ordered && argument.Kind is McpArgumentKind.String or McpArgumentKind.Bool or McpArgumentKind.Record or McpArgumentKind.Set)
        {
            return $"is a {argument.Kind}, compared as a number";
        }

        if (op is BinaryOp.Equal or BinaryOp.NotEqual && literal is { } kind && argument.IsMapped && argument.Kind != kind)
        {
            return $"is a {argument.Kind}, compared with a {kind}: never equal";
        }

        if (op is BinaryOp.Equal or BinaryOp.NotEqual && other is StringLiteral s && argument.Enum is { } allowed && !allowed.Contains(s.Value, StringComparer.Ordinal))
        {
            return $"is one of {string.Join(", ", allowed.Select(v => "`" + v + "`"))}, compared with `{s.Value}`: never equal";
        }

        return null;
    }
}
