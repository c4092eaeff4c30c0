using System.Collections.Immutable;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Diagnostics;

namespace Mandate.Cedar.Syntax;

/// <summary>
/// Parses Cedar policy text (Cedar 4.x syntax) into the AST. Bad input never throws: every
/// entry point returns a <see cref="ParseResult{T}"/> holding either the value or every problem
/// found, each with file, line and column. A policy set with any problem is not produced at all.
/// </summary>
public static class PolicyParser
{
    /// <summary>How deeply parentheses, sets, records, calls and <c>if</c>s may nest in policy text.</summary>
    public const int MaxNesting = PolicyTextParser.MaxNesting;

    /// <summary>
    /// The tallest expression tree a parsed (or JSON-read) policy may have, counting operator
    /// chains such as <c>a &amp;&amp; b &amp;&amp; …</c>; evaluators may recurse this deep safely.
    /// </summary>
    public const int MaxExpressionDepth = PolicyTextParser.MaxExprDepth;

    /// <summary>Parses a policy set from one text (static policies and templates).</summary>
    /// <param name="text">The policy text.</param>
    /// <param name="fileName">Named in diagnostics.</param>
    /// <param name="idMode">How policies are named; positional (<c>policy0</c>, …) by default.</param>
    public static ParseResult<PolicySet> ParsePolicySet(string text, string? fileName = null, PolicyIdMode idMode = PolicyIdMode.Positional) =>
        ParsePolicySet([(fileName ?? "", text)], idMode, fileName is null);

    /// <summary>
    /// Parses several files into one policy set. Positional ids continue across files in the
    /// given order; with <see cref="PolicyIdMode.AnnotationOrPositional"/> an <c>@id</c> annotation
    /// names its policy. Duplicate ids are an error.
    /// </summary>
    public static ParseResult<PolicySet> ParsePolicySet(IEnumerable<(string FileName, string Text)> files, PolicyIdMode idMode = PolicyIdMode.Positional) =>
        ParsePolicySet(files, idMode, false);

    private static ParseResult<PolicySet> ParsePolicySet(IEnumerable<(string FileName, string Text)> files, PolicyIdMode idMode, bool anonymous)
    {
        ArgumentNullException.ThrowIfNull(files);
        var diagnostics = new List<CedarDiagnostic>();
        var parsed = new List<(Policy Policy, DiagnosticSink Sink)>();
        var counter = 0;
        foreach (var (fileName, text) in files)
        {
            ArgumentNullException.ThrowIfNull(text);
            var sink = new DiagnosticSink(text, anonymous ? null : fileName);
            var parser = new PolicyTextParser(text, sink);
            var baseIndex = counter;
            var policies = parser.ParsePolicies(i => "policy" + (baseIndex + i));
            counter += parser.PoliciesSeen; // a failed policy still consumes its number
            foreach (var p in policies) parsed.Add((p, sink));
            diagnostics.AddRange(sink.InSourceOrder());
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var statics = ImmutableArray.CreateBuilder<Policy>();
        var templates = ImmutableArray.CreateBuilder<Policy>();
        foreach (var (original, sink) in parsed)
        {
            var policy = original;
            if (idMode == PolicyIdMode.AnnotationOrPositional && policy.Annotation("id") is { } named)
            {
                policy = policy with { Id = named };
            }
            if (!ids.Add(policy.Id))
            {
                sink.Add(DiagnosticCodes.DuplicatePolicyId, $"duplicate policy id `{Lexer.Clip(policy.Id)}`",
                    policy.Span.Start, policy.Span.Start + 1);
                diagnostics.Add(sink.Items[^1]);
                continue;
            }
            (policy.IsTemplate ? templates : statics).Add(policy);
        }

        if (diagnostics.Count > 0) return ParseResult<PolicySet>.Failure(diagnostics);
        return ParseResult<PolicySet>.Success(new PolicySet(statics.ToImmutable(), templates.ToImmutable()));
    }

    /// <summary>Parses exactly one policy or template and gives it <paramref name="id"/>.</summary>
    public static ParseResult<Policy> ParsePolicy(string text, string id = "policy0", string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(id);
        var sink = new DiagnosticSink(text, fileName);
        var parser = new PolicyTextParser(text, sink);
        var policies = parser.ParsePolicies(_ => id);
        if (sink.Count > 0) return ParseResult<Policy>.Failure(sink.InSourceOrder());
        if (policies.Count != 1)
        {
            sink.Add(DiagnosticCodes.NotAPolicy,
                policies.Count == 0 ? "expected one policy, found none" : $"expected one policy, found {policies.Count}",
                0, Math.Min(1, text.Length));
            return ParseResult<Policy>.Failure(sink.InSourceOrder());
        }
        return ParseResult<Policy>.Success(policies[0]);
    }

    /// <summary>Parses one Cedar expression (template slots are allowed).</summary>
    public static ParseResult<Expr> ParseExpression(string text, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sink = new DiagnosticSink(text, fileName);
        var parser = new PolicyTextParser(text, sink);
        var expr = parser.ParseStandaloneExpression();
        if (sink.Count > 0 || expr is null) return ParseResult<Expr>.Failure(sink.InSourceOrder());
        return ParseResult<Expr>.Success(expr);
    }
}
