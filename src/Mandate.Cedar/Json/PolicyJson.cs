using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Diagnostics;
using Mandate.Cedar.Syntax;

namespace Mandate.Cedar.Json;

/// <summary>
/// Cedar's JSON policy format (the EST): <c>effect</c>; <c>principal</c>/<c>action</c>/<c>resource</c>
/// with an <c>op</c>; <c>conditions</c> of <c>kind</c> and <c>body</c>; expression nodes such as
/// <c>{"==": {"left": …, "right": …}}</c>, <c>Value</c>, <c>Var</c>, <c>Slot</c>, <c>.</c>, <c>has</c>,
/// <c>like</c> (pattern array), <c>is</c>, <c>if-then-else</c>, <c>Set</c>, <c>Record</c>, and extension
/// calls such as <c>{"decimal": [ … ]}</c>; <c>annotations</c> as an object. AST → JSON → AST is the identity.
/// </summary>
public static partial class PolicyJson
{
    /// <summary>Diagnostic code for JSON that is not valid JSON or not a valid policy.</summary>
    public const string InvalidPolicyJson = "invalid-policy-json";

    // An expression level takes two JSON levels ({"op": {"left": …}}); leave room for values.
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowDuplicateProperties = false,
        MaxDepth = 2 * PolicyTextParser.MaxExprDepth + 16,
    };

    private static JsonWriterOptions WriterOptions(bool indented) => new()
    {
        Indented = indented,
        MaxDepth = 4 * PolicyTextParser.MaxExprDepth + 16,
    };

    /// <summary>The policy (or template) as JSON. The id is not part of the EST.</summary>
    public static string ToJson(Policy policy, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Write(w => PolicyJsonWriter.WritePolicy(w, policy), indented);
    }

    /// <summary>Writes the policy as a JSON object to <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, Policy policy)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(policy);
        PolicyJsonWriter.WritePolicy(writer, policy);
    }

    /// <summary>An expression as an EST JSON node.</summary>
    public static string ExprToJson(Expr expr, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(expr);
        return Write(w => PolicyJsonWriter.WriteExpr(w, expr), indented);
    }

    /// <summary>Reads a policy or template from its JSON form and gives it <paramref name="id"/>.</summary>
    public static ParseResult<Policy> FromJson(string json, string id = "policy0")
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read(json, root => PolicyJsonReader.ReadPolicy(root, id), CheckPolicy);
    }

    /// <summary>Reads a policy or template from an already parsed JSON element.</summary>
    public static ParseResult<Policy> FromJson(JsonElement element, string id = "policy0") =>
        Guard(() => PolicyJsonReader.ReadPolicy(element, id), CheckPolicy);

    /// <summary>Reads one EST expression node (template slots are allowed).</summary>
    public static ParseResult<Expr> ExprFromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read(json, root => PolicyJsonReader.ReadExpr(root, "$", allowSlots: true), CheckExpr);
    }

    internal static string Write(Action<Utf8JsonWriter> write, bool indented)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions(indented))) write(w);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    internal static ParseResult<T> Read<T>(string json, Func<JsonElement, T> read, Func<T, string?> check)
        where T : class
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            var column = (int)(ex.BytePositionInLine ?? 0) + 1;
            return ParseResult<T>.Failure([new CedarDiagnostic(InvalidPolicyJson, $"invalid JSON: {ex.Message}", null, line, column, SourceSpan.None)]);
        }
        using (doc)
        {
            return Guard(() => read(doc.RootElement), check);
        }
    }

    internal static ParseResult<T> Guard<T>(Func<T> read, Func<T, string?> check)
        where T : class
    {
        try
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            var value = read();
            if (check(value) is { } problem) return Fail<T>(problem);
            return ParseResult<T>.Success(value);
        }
        catch (PolicyJsonReader.PolicyJsonError ex)
        {
            return Fail<T>($"{ex.Message} (at `{Lexer.Clip(ex.Path)}`)");
        }
        catch (InsufficientExecutionStackException)
        {
            return Fail<T>("policy JSON is nested too deeply");
        }
    }

    private static ParseResult<T> Fail<T>(string message) where T : class =>
        ParseResult<T>.Failure([CedarDiagnostic.WithoutLocation(InvalidPolicyJson, message)]);

    private static string? CheckPolicy(Policy p)
    {
        foreach (var c in p.Conditions)
        {
            if (CheckExpr(c.Body) is { } problem) return problem;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in p.Annotations)
        {
            if (!seen.Add(a.Key)) return $"duplicate annotation `@{Lexer.Clip(a.Key)}`";
        }
        return null;
    }

    private static string? CheckExpr(Expr e) =>
        ExprTree.Depth(e, PolicyTextParser.MaxExprDepth) > PolicyTextParser.MaxExprDepth
            ? $"expression is too deeply nested (more than {PolicyTextParser.MaxExprDepth} levels)"
            : null;
}
