using System.Globalization;
using System.Text;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Diagnostics;
using Mandate.Cedar.Syntax;

namespace Mandate.Cedar.Formatting;

/// <summary>
/// Canonical Cedar text for policies and expressions, close to the official <c>cedar format</c>:
/// one annotation per line, <c>permit (</c> with one scope element per line (or all on one line when
/// none is constrained), each condition on its own line, broken at top-level <c>&amp;&amp;</c>/<c>||</c>
/// when longer than <see cref="LineWidth"/>. Parentheses are the fewest that keep the tree, so
/// <c>PolicyParser.ParsePolicy(Format(p))</c> equals <c>p</c>.
/// </summary>
public static class PolicyFormatter
{
    /// <summary>Preferred maximum line width.</summary>
    public const int LineWidth = 80;

    private const string Indent = "  ";

    // Precedence levels, loosest first; an operand printed where a tighter level is required gets parentheses.
    private const int PrecIf = 0, PrecOr = 1, PrecAnd = 2, PrecRelation = 3, PrecAdd = 4, PrecMult = 5, PrecUnary = 6,
        PrecMember = 7, PrecPrimary = 8;

    /// <summary>
    /// Formats the static policies and templates of a set, in source order, separated by blank
    /// lines. Template-linked policies have no source text of their own and are left out.
    /// </summary>
    public static string Format(PolicySet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var all = set.Policies.Where(p => p.TemplateId is null).Concat(set.Templates)
            .Select((p, i) => (Policy: p, Order: i))
            .OrderBy(x => x.Policy.Span.IsKnown ? x.Policy.Span.Start : int.MaxValue)
            .ThenBy(x => x.Order)
            .Select(x => x.Policy);
        var sb = new StringBuilder();
        foreach (var p in all)
        {
            if (sb.Length > 0) sb.Append('\n');
            sb.Append(Format(p)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// Formats a policy file, keeping its <c>//</c> comments: comments before or inside a policy
    /// are placed, in order, on the lines just above it (comments inside a policy have no place in
    /// the canonical layout, so they move up rather than disappear); comments after the last
    /// policy stay at the end. Fails with the parser's diagnostics when the text does not parse.
    /// </summary>
    public static ParseResult<string> FormatText(string text, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sink = new DiagnosticSink(text, fileName);
        var comments = new List<(int Start, int End)>();
        var parser = new PolicyTextParser(text, sink, comments);
        var policies = parser.ParsePolicies(i => "policy" + i);
        if (sink.Count > 0) return ParseResult<string>.Failure(sink.InSourceOrder());
        var sb = new StringBuilder();
        var next = 0;
        foreach (var p in policies)
        {
            if (sb.Length > 0) sb.Append('\n');
            while (next < comments.Count && comments[next].Start < p.Span.End)
            {
                sb.Append(text.AsSpan(comments[next].Start, comments[next].End - comments[next].Start).TrimEnd()).Append('\n');
                next++;
            }
            sb.Append(Format(p)).Append('\n');
        }
        if (next < comments.Count && sb.Length > 0) sb.Append('\n');
        for (; next < comments.Count; next++)
        {
            sb.Append(text.AsSpan(comments[next].Start, comments[next].End - comments[next].Start).TrimEnd()).Append('\n');
        }
        return ParseResult<string>.Success(sb.ToString());
    }

    /// <summary>Formats one policy or template, ending with <c>;</c> (no trailing newline).</summary>
    public static string Format(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var sb = new StringBuilder();
        foreach (var a in policy.Annotations)
        {
            sb.Append('@').Append(a.Key).Append('(').Append(CedarString.Quote(a.Value)).Append(")\n");
        }
        sb.Append(policy.Effect == Effect.Permit ? "permit" : "forbid").Append(" (");
        var principal = Scope("principal", policy.Principal);
        var action = ActionScope(policy.Action);
        var resource = Scope("resource", policy.Resource);
        if (policy.Principal.Kind == ScopeKind.Any && policy.Action.Kind == ActionScopeKind.Any && policy.Resource.Kind == ScopeKind.Any)
        {
            sb.Append("principal, action, resource)");
        }
        else
        {
            sb.Append('\n').Append(Indent).Append(principal).Append(",\n")
              .Append(Indent).Append(action).Append(",\n")
              .Append(Indent).Append(resource).Append("\n)");
        }
        foreach (var c in policy.Conditions)
        {
            var keyword = c.Kind == ConditionKind.When ? "when" : "unless";
            var flat = Expression(c.Body);
            if (keyword.Length + flat.Length + 6 <= LineWidth && !flat.Contains('\n'))
            {
                sb.Append('\n').Append(keyword).Append(" { ").Append(flat).Append(" }");
                continue;
            }
            sb.Append('\n').Append(keyword).Append("\n{\n");
            var lines = BreakChain(c.Body);
            for (var i = 0; i < lines.Count; i++)
            {
                sb.Append(Indent).Append(lines[i]);
                if (i < lines.Count - 1) sb.Append('\n');
            }
            sb.Append("\n}");
        }
        sb.Append(';');
        return sb.ToString();
    }

    /// <summary>Formats an expression on one line with minimal parentheses.</summary>
    public static string Expression(Expr expr)
    {
        ArgumentNullException.ThrowIfNull(expr);
        var sb = new StringBuilder();
        Write(sb, expr, PrecIf);
        return sb.ToString();
    }

    /// <summary>Formats a <c>like</c> pattern as a Cedar string literal (<c>*</c> wildcards, <c>\*</c> literal stars).</summary>
    public static string Pattern(LikePattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var sb = new StringBuilder("\"");
        foreach (var part in pattern.Parts)
        {
            if (part.IsWildcard) { sb.Append('*'); continue; }
            var quoted = CedarString.Quote(part.Text);
            sb.Append(quoted.AsSpan(1, quoted.Length - 2).ToString().Replace("*", "\\*", StringComparison.Ordinal));
        }
        return sb.Append('"').ToString();
    }

    // A long top-level `&&`/`||` chain becomes one operand per line with the operator at line end.
    private static List<string> BreakChain(Expr body)
    {
        var operands = new List<Expr>();
        string? op = null;
        if (body is AndExpr) { op = "&&"; Flatten<AndExpr>(body, operands, e => (e.Left, e.Right)); }
        else if (body is OrExpr) { op = "||"; Flatten<OrExpr>(body, operands, e => (e.Left, e.Right)); }
        if (op is null) return [Expression(body)];
        var level = op == "&&" ? PrecAnd : PrecOr;
        var lines = new List<string>(operands.Count);
        for (var i = 0; i < operands.Count; i++)
        {
            var sb = new StringBuilder();
            // The first operand sits on the left of a left-nested chain; the others on the right.
            Write(sb, operands[i], i == 0 ? level : level + 1);
            if (i < operands.Count - 1) sb.Append(' ').Append(op);
            lines.Add(sb.ToString());
        }
        return lines;
    }

    private static void Flatten<T>(Expr e, List<Expr> into, Func<T, (Expr Left, Expr Right)> parts)
        where T : Expr
    {
        // Only the left spine is flattened: `a && (b && c)` keeps its parentheses.
        var rights = new Stack<Expr>();
        while (e is T node)
        {
            var (l, r) = parts(node);
            rights.Push(r);
            e = l;
        }
        into.Add(e);
        while (rights.Count > 0) into.Add(rights.Pop());
    }

    private static string Scope(string variable, ScopeConstraint scope) => scope.Kind switch
    {
        ScopeKind.Any => variable,
        ScopeKind.Equal => $"{variable} == {EntityRefText(scope.Entity)}",
        ScopeKind.In => $"{variable} in {EntityRefText(scope.Entity)}",
        ScopeKind.Is => $"{variable} is {scope.EntityType}",
        _ => $"{variable} is {scope.EntityType} in {EntityRefText(scope.Entity)}",
    };

    private static string EntityRefText(EntityRef? entity) => entity switch
    {
        EntityRef.Literal l => l.Uid.ToString(),
        EntityRef.SlotRef { Slot: SlotId.Principal } => "?principal",
        EntityRef.SlotRef => "?resource",
        _ => throw new ArgumentException("scope constraint is missing its entity"),
    };

    private static string ActionScope(ActionConstraint action) => action.Kind switch
    {
        ActionScopeKind.Any => "action",
        ActionScopeKind.Equal => $"action == {action.Entities[0]}",
        ActionScopeKind.In => $"action in {action.Entities[0]}",
        _ => $"action in [{string.Join(", ", action.Entities.Select(e => e.ToString()))}]",
    };

    private static int Precedence(Expr e) => e switch
    {
        IfExpr => PrecIf,
        OrExpr => PrecOr,
        AndExpr => PrecAnd,
        BinaryExpr b => b.Op switch
        {
            BinaryOp.Add or BinaryOp.Subtract => PrecAdd,
            BinaryOp.Multiply => PrecMult,
            BinaryOp.Contains or BinaryOp.ContainsAll or BinaryOp.ContainsAny or BinaryOp.GetTag or BinaryOp.HasTag => PrecMember,
            _ => PrecRelation,
        },
        HasAttrExpr or LikeExpr or IsExpr => PrecRelation,
        UnaryExpr { Op: UnaryOp.IsEmpty } => PrecMember,
        UnaryExpr => PrecUnary,
        LongLiteral { Value: < 0 } => PrecUnary, // prints with a leading `-`
        GetAttrExpr => PrecMember,
        ExtensionCallExpr x when !CedarNames.ExtensionFunctions.Contains(x.Function) && x.Arguments.Count > 0 => PrecMember,
        _ => PrecPrimary,
    };

    private static void Write(StringBuilder sb, Expr e, int minPrec)
    {
        var prec = Precedence(e);
        var parens = prec < minPrec;
        if (parens) sb.Append('(');
        WriteBare(sb, e);
        if (parens) sb.Append(')');
    }

    private static void WriteBare(StringBuilder sb, Expr e)
    {
        switch (e)
        {
            case BoolLiteral b: sb.Append(b.Value ? "true" : "false"); break;
            case LongLiteral l: sb.Append(l.Value.ToString(CultureInfo.InvariantCulture)); break;
            case StringLiteral s: sb.Append(CedarString.Quote(s.Value)); break;
            case EntityLiteral en: sb.Append(en.Uid.ToString()); break;
            case VarExpr v: sb.Append(CedarNames.VarName(v.Var)); break;
            case SlotExpr s: sb.Append(s.Slot == SlotId.Principal ? "?principal" : "?resource"); break;
            case IfExpr x:
                sb.Append("if ");
                Write(sb, x.Condition, PrecIf);
                sb.Append(" then ");
                Write(sb, x.Then, PrecIf);
                sb.Append(" else ");
                Write(sb, x.Else, PrecIf);
                break;
            case OrExpr x:
                Write(sb, x.Left, PrecOr);
                sb.Append(" || ");
                Write(sb, x.Right, PrecAnd);
                break;
            case AndExpr x:
                Write(sb, x.Left, PrecAnd);
                sb.Append(" && ");
                Write(sb, x.Right, PrecRelation);
                break;
            case UnaryExpr { Op: UnaryOp.IsEmpty } x:
                Write(sb, x.Operand, PrecMember);
                sb.Append(".isEmpty()");
                break;
            case UnaryExpr x:
                sb.Append(x.Op == UnaryOp.Not ? '!' : '-');
                // `-5` would read back as the literal -5, and `--x` as one run: parenthesise both.
                if (x.Op == UnaryOp.Negate && x.Operand is LongLiteral) { sb.Append('('); WriteBare(sb, x.Operand); sb.Append(')'); }
                else Write(sb, x.Operand, PrecMember);
                break;
            case BinaryExpr x when CedarNames.MethodName(x.Op) is { } method:
                Write(sb, x.Left, PrecMember);
                sb.Append('.').Append(method).Append('(');
                Write(sb, x.Right, PrecIf);
                sb.Append(')');
                break;
            case BinaryExpr x:
            {
                var (symbol, left, right) = x.Op switch
                {
                    BinaryOp.Add => ("+", PrecAdd, PrecMult),
                    BinaryOp.Subtract => ("-", PrecAdd, PrecMult),
                    BinaryOp.Multiply => ("*", PrecMult, PrecUnary),
                    BinaryOp.Equal => ("==", PrecAdd, PrecAdd),
                    BinaryOp.NotEqual => ("!=", PrecAdd, PrecAdd),
                    BinaryOp.Less => ("<", PrecAdd, PrecAdd),
                    BinaryOp.LessEqual => ("<=", PrecAdd, PrecAdd),
                    BinaryOp.Greater => (">", PrecAdd, PrecAdd),
                    BinaryOp.GreaterEqual => (">=", PrecAdd, PrecAdd),
                    _ => ("in", PrecAdd, PrecAdd),
                };
                Write(sb, x.Left, left);
                sb.Append(' ').Append(symbol).Append(' ');
                Write(sb, x.Right, right);
                break;
            }
            case GetAttrExpr x:
                Write(sb, x.Target, PrecMember);
                if (CedarNames.IsIdentifier(x.Attribute)) sb.Append('.').Append(x.Attribute);
                else sb.Append('[').Append(CedarString.Quote(x.Attribute)).Append(']');
                break;
            case HasAttrExpr x:
                Write(sb, x.Target, PrecAdd);
                sb.Append(" has ").Append(CedarNames.IsIdentifier(x.Attribute) ? x.Attribute : CedarString.Quote(x.Attribute));
                break;
            case LikeExpr x:
                Write(sb, x.Target, PrecAdd);
                sb.Append(" like ").Append(Pattern(x.Pattern));
                break;
            case IsExpr x:
                Write(sb, x.Target, PrecAdd);
                sb.Append(" is ").Append(x.EntityType);
                if (x.In is not null)
                {
                    sb.Append(" in ");
                    Write(sb, x.In, PrecAdd);
                }
                break;
            case SetExpr x:
                sb.Append('[');
                for (var i = 0; i < x.Elements.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Write(sb, x.Elements[i], PrecIf);
                }
                sb.Append(']');
                break;
            case RecordExpr x:
                sb.Append('{');
                for (var i = 0; i < x.Entries.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    sb.Append(CedarString.Quote(x.Entries[i].Key)).Append(": ");
                    Write(sb, x.Entries[i].Value, PrecIf);
                }
                sb.Append('}');
                break;
            case ExtensionCallExpr x when CedarNames.ExtensionFunctions.Contains(x.Function) || x.Arguments.Count == 0:
                sb.Append(x.Function).Append('(');
                WriteArgs(sb, x.Arguments, 0);
                sb.Append(')');
                break;
            case ExtensionCallExpr x:
                Write(sb, x.Arguments[0], PrecMember);
                sb.Append('.').Append(x.Function).Append('(');
                WriteArgs(sb, x.Arguments, 1);
                sb.Append(')');
                break;
            default:
                throw new ArgumentException($"unknown expression node {e.GetType().Name}", nameof(e));
        }
    }

    private static void WriteArgs(StringBuilder sb, ValueList<Expr> args, int from)
    {
        for (var i = from; i < args.Count; i++)
        {
            if (i > from) sb.Append(", ");
            Write(sb, args[i], PrecIf);
        }
    }
}
