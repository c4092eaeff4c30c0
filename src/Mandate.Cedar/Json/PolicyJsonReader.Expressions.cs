using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Syntax;

namespace Mandate.Cedar.Json;

// Expressions: one JSON object with exactly one key naming the operator, recursively; literals in
// Cedar's JSON value form; `like` patterns. Recursion is guarded against stack exhaustion.
internal static partial class PolicyJsonReader
{
    private static readonly HashSet<string> BinaryKeys =
        ["==", "!=", "<", "<=", ">", ">=", "in", "+", "-", "*", "contains", "containsAll", "containsAny", "getTag", "hasTag"];

    public static Expr ReadExpr(JsonElement e, string path, bool allowSlots)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        RequireObject(e, path);
        JsonProperty? only = null;
        foreach (var prop in e.EnumerateObject())
        {
            if (only is not null) throw new PolicyJsonError(path, "an expression object must have exactly one key");
            only = prop;
        }
        if (only is not { } node) throw new PolicyJsonError(path, "an expression object must have exactly one key");
        var key = node.Name;
        var v = node.Value;
        var p = path + "." + key;
        switch (key)
        {
            case "Value":
                return ReadValue(v, p);
            case "Var":
                return new VarExpr(String(v, p) switch
                {
                    "principal" => Var.Principal,
                    "action" => Var.Action,
                    "resource" => Var.Resource,
                    "context" => Var.Context,
                    var other => throw new PolicyJsonError(p, $"unknown variable `{Lexer.Clip(other)}`"),
                });
            case "Slot":
            {
                if (!allowSlots) throw new PolicyJsonError(p, "template slots are only allowed in the policy scope");
                return new SlotExpr(String(v, p) switch
                {
                    "?principal" => SlotId.Principal,
                    "?resource" => SlotId.Resource,
                    var other => throw new PolicyJsonError(p, $"invalid slot `{Lexer.Clip(other)}`"),
                });
            }
            case "!":
            case "neg":
            case "isEmpty":
            {
                RequireObject(v, p);
                OnlyFields(v, p, "arg");
                var arg = ReadExpr(Property(v, "arg", p), p + ".arg", allowSlots);
                return new UnaryExpr(key switch { "!" => UnaryOp.Not, "neg" => UnaryOp.Negate, _ => UnaryOp.IsEmpty }, arg);
            }
            case "&&":
            case "||":
            {
                var (l, r) = LeftRight(v, p, allowSlots);
                return key == "&&" ? new AndExpr(l, r) : new OrExpr(l, r);
            }
            case ".":
            case "has":
            {
                RequireObject(v, p);
                OnlyFields(v, p, "left", "attr");
                var left = ReadExpr(Property(v, "left", p), p + ".left", allowSlots);
                var attr = String(Property(v, "attr", p), p + ".attr");
                return key == "." ? new GetAttrExpr(left, attr) : new HasAttrExpr(left, attr);
            }
            case "like":
            {
                RequireObject(v, p);
                OnlyFields(v, p, "left", "pattern");
                var left = ReadExpr(Property(v, "left", p), p + ".left", allowSlots);
                return new LikeExpr(left, ReadPattern(Property(v, "pattern", p), p + ".pattern"));
            }
            case "is":
            {
                RequireObject(v, p);
                OnlyFields(v, p, "left", "entity_type", "in");
                var left = ReadExpr(Property(v, "left", p), p + ".left", allowSlots);
                var type = EntityType(Property(v, "entity_type", p), p + ".entity_type");
                var inExpr = v.TryGetProperty("in", out var inner) ? ReadExpr(inner, p + ".in", allowSlots) : null;
                return new IsExpr(left, type, inExpr);
            }
            case "if-then-else":
            {
                RequireObject(v, p);
                OnlyFields(v, p, "if", "then", "else");
                return new IfExpr(
                    ReadExpr(Property(v, "if", p), p + ".if", allowSlots),
                    ReadExpr(Property(v, "then", p), p + ".then", allowSlots),
                    ReadExpr(Property(v, "else", p), p + ".else", allowSlots));
            }
            case "Set":
            {
                RequireKind(v, JsonValueKind.Array, p, "an array");
                var items = ImmutableArray.CreateBuilder<Expr>();
                var i = 0;
                foreach (var item in v.EnumerateArray()) items.Add(ReadExpr(item, $"{p}[{i++}]", allowSlots));
                return new SetExpr(items.ToImmutable());
            }
            case "Record":
            {
                RequireObject(v, p);
                var entries = ImmutableArray.CreateBuilder<RecordEntry>();
                foreach (var prop in v.EnumerateObject())
                {
                    entries.Add(new RecordEntry(prop.Name, ReadExpr(prop.Value, $"{p}.{prop.Name}", allowSlots)));
                }
                return new RecordExpr(entries.ToImmutable());
            }
        }
        if (BinaryKeys.Contains(key))
        {
            var (l, r) = LeftRight(v, p, allowSlots);
            return new BinaryExpr(BinaryOpOf(key), l, r);
        }
        if (CedarNames.ExtensionFunctions.Contains(key) || CedarNames.ExtensionMethods.Contains(key))
        {
            RequireKind(v, JsonValueKind.Array, p, "an array of arguments");
            var args = ImmutableArray.CreateBuilder<Expr>();
            var i = 0;
            foreach (var item in v.EnumerateArray()) args.Add(ReadExpr(item, $"{p}[{i++}]", allowSlots));
            if (CedarNames.ExtensionMethods.Contains(key) && args.Count == 0)
            {
                throw new PolicyJsonError(p, $"method `{key}` needs its receiver as the first argument");
            }
            return new ExtensionCallExpr(key, args.ToImmutable());
        }
        throw new PolicyJsonError(path, $"unknown expression kind `{Lexer.Clip(key)}`");
    }

    private static BinaryOp BinaryOpOf(string key) => key switch
    {
        "==" => BinaryOp.Equal,
        "!=" => BinaryOp.NotEqual,
        "<" => BinaryOp.Less,
        "<=" => BinaryOp.LessEqual,
        ">" => BinaryOp.Greater,
        ">=" => BinaryOp.GreaterEqual,
        "in" => BinaryOp.In,
        "+" => BinaryOp.Add,
        "-" => BinaryOp.Subtract,
        "*" => BinaryOp.Multiply,
        "contains" => BinaryOp.Contains,
        "containsAll" => BinaryOp.ContainsAll,
        "containsAny" => BinaryOp.ContainsAny,
        "getTag" => BinaryOp.GetTag,
        _ => BinaryOp.HasTag,
    };

    private static (Expr Left, Expr Right) LeftRight(JsonElement v, string p, bool allowSlots)
    {
        RequireObject(v, p);
        OnlyFields(v, p, "left", "right");
        return (ReadExpr(Property(v, "left", p), p + ".left", allowSlots), ReadExpr(Property(v, "right", p), p + ".right", allowSlots));
    }

    private static LikePattern ReadPattern(JsonElement e, string path)
    {
        RequireKind(e, JsonValueKind.Array, path, "an array of `Wildcard` and `{\"Literal\": …}` elements");
        var parts = ImmutableArray.CreateBuilder<LikePatternPart>();
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            var p = $"{path}[{i++}]";
            if (item.ValueKind == JsonValueKind.String && item.ValueEquals("Wildcard"))
            {
                parts.Add(LikePatternPart.Wildcard);
                continue;
            }
            if (item.ValueKind == JsonValueKind.Object)
            {
                OnlyFields(item, p, "Literal");
                parts.Add(LikePatternPart.Literal(String(Property(item, "Literal", p), p + ".Literal")));
                continue;
            }
            throw new PolicyJsonError(p, "expected `\"Wildcard\"` or `{\"Literal\": \"…\"}`");
        }
        return new LikePattern(parts.ToImmutable());
    }

    /// <summary>A literal in Cedar's JSON value form (entities as <c>__entity</c>, extension values as <c>__extn</c>).</summary>
    private static Expr ReadValue(JsonElement v, string path)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (v.ValueKind)
        {
            case JsonValueKind.True: return new BoolLiteral(true);
            case JsonValueKind.False: return new BoolLiteral(false);
            case JsonValueKind.String: return new StringLiteral(v.GetString()!);
            case JsonValueKind.Number:
                if (!v.TryGetInt64(out var n)) throw new PolicyJsonError(path, $"`{Lexer.Clip(v.GetRawText())}` is not a 64-bit integer");
                return new LongLiteral(n);
            case JsonValueKind.Array:
            {
                var items = ImmutableArray.CreateBuilder<Expr>();
                var i = 0;
                foreach (var item in v.EnumerateArray()) items.Add(ReadValue(item, $"{path}[{i++}]"));
                return new SetExpr(items.ToImmutable());
            }
            case JsonValueKind.Object:
            {
                if (v.TryGetProperty("__entity", out _)) return new EntityLiteral(Uid(v, path));
                if (v.TryGetProperty("__extn", out var extn))
                {
                    OnlyFields(v, path, "__extn");
                    var p = path + ".__extn";
                    RequireObject(extn, p);
                    OnlyFields(extn, p, "fn", "arg", "args");
                    var fn = String(Property(extn, "fn", p), p + ".fn");
                    if (!CedarNames.ExtensionFunctions.Contains(fn)) throw new PolicyJsonError(p + ".fn", $"`{Lexer.Clip(fn)}` is not an extension function");
                    var args = ImmutableArray.CreateBuilder<Expr>();
                    if (extn.TryGetProperty("arg", out var arg)) args.Add(ReadValue(arg, p + ".arg"));
                    if (extn.TryGetProperty("args", out var many))
                    {
                        RequireKind(many, JsonValueKind.Array, p + ".args", "an array");
                        var i = 0;
                        foreach (var item in many.EnumerateArray()) args.Add(ReadValue(item, $"{p}.args[{i++}]"));
                    }
                    return new ExtensionCallExpr(fn, args.ToImmutable());
                }
                var entries = ImmutableArray.CreateBuilder<RecordEntry>();
                foreach (var prop in v.EnumerateObject()) entries.Add(new RecordEntry(prop.Name, ReadValue(prop.Value, $"{path}.{prop.Name}")));
                return new RecordExpr(entries.ToImmutable());
            }
            default:
                throw new PolicyJsonError(path, $"`{Lexer.Clip(v.GetRawText())}` is not a Cedar value");
        }
    }
}
