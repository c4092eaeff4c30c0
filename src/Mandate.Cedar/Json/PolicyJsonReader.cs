using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Syntax;

namespace Mandate.Cedar.Json;

/// <summary>
/// Reads Cedar's JSON policy format (the EST) into the AST. Malformed input raises
/// <see cref="PolicyJsonError"/>, which <see cref="PolicyJson"/> turns into a diagnostic; it
/// never escapes the public API.
/// </summary>
internal static class PolicyJsonReader
{
    /// <summary>A structural problem, with the JSON path where it was found.</summary>
    internal sealed class PolicyJsonError(string path, string message) : Exception(message)
    {
        public string Path { get; } = path;
    }

    private static readonly HashSet<string> BinaryKeys =
        ["==", "!=", "<", "<=", ">", ">=", "in", "+", "-", "*", "contains", "containsAll", "containsAny", "getTag", "hasTag"];

    public static Policy ReadPolicy(JsonElement e, string id)
    {
        var path = "$";
        RequireObject(e, path);
        string? effect = null;
        ScopeConstraint? principal = null, resource = null;
        ActionConstraint? action = null;
        var conditions = ImmutableArray.CreateBuilder<Condition>();
        var annotations = ImmutableArray.CreateBuilder<Annotation>();
        foreach (var prop in e.EnumerateObject())
        {
            var p = $"{path}.{prop.Name}";
            switch (prop.Name)
            {
                case "effect":
                    effect = String(prop.Value, p);
                    if (effect is not ("permit" or "forbid")) throw new PolicyJsonError(p, $"effect must be `permit` or `forbid`, found `{Lexer.Clip(effect)}`");
                    break;
                case "principal": principal = ReadScope(prop.Value, p, SlotId.Principal); break;
                case "resource": resource = ReadScope(prop.Value, p, SlotId.Resource); break;
                case "action": action = ReadActionScope(prop.Value, p); break;
                case "conditions":
                    RequireKind(prop.Value, JsonValueKind.Array, p, "an array");
                    var i = 0;
                    foreach (var c in prop.Value.EnumerateArray())
                    {
                        conditions.Add(ReadCondition(c, $"{p}[{i++}]"));
                    }
                    break;
                case "annotations":
                    RequireObject(prop.Value, p);
                    foreach (var a in prop.Value.EnumerateObject())
                    {
                        // Keys must be writable as `@key` in Cedar text (reserved words are fine there).
                        if (a.Name.Length == 0 || !Lexer.IsIdentStart(a.Name[0]) || !a.Name.All(Lexer.IsIdentPart))
                        {
                            throw new PolicyJsonError($"{p}.{a.Name}", $"annotation key `{Lexer.Clip(a.Name)}` is not an identifier");
                        }
                        // A bare annotation (`@key`) may appear as null; its value is the empty string.
                        var value = a.Value.ValueKind == JsonValueKind.Null ? "" : String(a.Value, $"{p}.{a.Name}");
                        annotations.Add(new Annotation(a.Name, value));
                    }
                    break;
                default:
                    throw new PolicyJsonError(p, $"unknown policy field `{Lexer.Clip(prop.Name)}`");
            }
        }
        if (effect is null) throw new PolicyJsonError(path, "missing field `effect`");
        if (principal is null) throw new PolicyJsonError(path, "missing field `principal`");
        if (action is null) throw new PolicyJsonError(path, "missing field `action`");
        if (resource is null) throw new PolicyJsonError(path, "missing field `resource`");
        return new Policy(id, effect == "permit" ? Effect.Permit : Effect.Forbid, principal, action, resource,
            conditions.ToImmutable(), annotations.ToImmutable());
    }

    private static Condition ReadCondition(JsonElement e, string path)
    {
        RequireObject(e, path);
        var kind = String(Property(e, "kind", path), path + ".kind");
        var k = kind switch
        {
            "when" => ConditionKind.When,
            "unless" => ConditionKind.Unless,
            _ => throw new PolicyJsonError(path + ".kind", $"condition kind must be `when` or `unless`, found `{Lexer.Clip(kind)}`"),
        };
        OnlyFields(e, path, "kind", "body");
        var body = ReadExpr(Property(e, "body", path), path + ".body", allowSlots: false);
        return new Condition(k, body);
    }

    private static ScopeConstraint ReadScope(JsonElement e, string path, SlotId slot)
    {
        RequireObject(e, path);
        var op = String(Property(e, "op", path), path + ".op");
        switch (op)
        {
            case "All":
                OnlyFields(e, path, "op");
                return ScopeConstraint.Any;
            case "==":
            case "in":
                OnlyFields(e, path, "op", "entity", "slot");
                return new ScopeConstraint(op == "==" ? ScopeKind.Equal : ScopeKind.In, ReadEntityRef(e, path, slot));
            case "is":
            {
                OnlyFields(e, path, "op", "entity_type", "in");
                var type = EntityType(Property(e, "entity_type", path), path + ".entity_type");
                if (e.TryGetProperty("in", out var inner))
                {
                    RequireObject(inner, path + ".in");
                    OnlyFields(inner, path + ".in", "entity", "slot");
                    return new ScopeConstraint(ScopeKind.IsIn, ReadEntityRef(inner, path + ".in", slot), type);
                }
                return new ScopeConstraint(ScopeKind.Is, null, type);
            }
            default:
                throw new PolicyJsonError(path + ".op", $"unknown scope operator `{Lexer.Clip(op)}`; expected `All`, `==`, `in` or `is`");
        }
    }

    private static EntityRef ReadEntityRef(JsonElement e, string path, SlotId slot)
    {
        var hasEntity = e.TryGetProperty("entity", out var entity);
        var hasSlot = e.TryGetProperty("slot", out var slotValue);
        if (hasEntity == hasSlot) throw new PolicyJsonError(path, "expected exactly one of `entity` or `slot`");
        if (hasEntity) return new EntityRef.Literal(Uid(entity, path + ".entity"));
        var text = String(slotValue, path + ".slot");
        var expected = PolicyJsonWriter.SlotText(slot);
        if (text != expected) throw new PolicyJsonError(path + ".slot", $"expected slot `{expected}`, found `{Lexer.Clip(text)}`");
        return new EntityRef.SlotRef(slot);
    }

    private static ActionConstraint ReadActionScope(JsonElement e, string path)
    {
        RequireObject(e, path);
        var op = String(Property(e, "op", path), path + ".op");
        switch (op)
        {
            case "All":
                OnlyFields(e, path, "op");
                return ActionConstraint.Any;
            case "==":
                OnlyFields(e, path, "op", "entity");
                return new ActionConstraint(ActionScopeKind.Equal, ImmutableArray.Create(ActionUid(Property(e, "entity", path), path + ".entity")));
            case "in":
                OnlyFields(e, path, "op", "entity", "entities");
                if (e.TryGetProperty("entities", out var list))
                {
                    if (e.TryGetProperty("entity", out _)) throw new PolicyJsonError(path, "expected exactly one of `entity` or `entities`");
                    RequireKind(list, JsonValueKind.Array, path + ".entities", "an array");
                    var uids = ImmutableArray.CreateBuilder<EntityUid>();
                    var i = 0;
                    foreach (var item in list.EnumerateArray()) uids.Add(ActionUid(item, $"{path}.entities[{i++}]"));
                    return new ActionConstraint(ActionScopeKind.InList, uids.ToImmutable());
                }
                return new ActionConstraint(ActionScopeKind.In, ImmutableArray.Create(ActionUid(Property(e, "entity", path), path + ".entity")));
            default:
                throw new PolicyJsonError(path + ".op", $"unknown action scope operator `{Lexer.Clip(op)}`; expected `All`, `==` or `in`");
        }
    }

    private static EntityUid ActionUid(JsonElement e, string path)
    {
        var uid = Uid(e, path);
        if (uid.Type != "Action" && !uid.Type.EndsWith("::Action", StringComparison.Ordinal))
        {
            throw new PolicyJsonError(path, $"expected an action entity (type `Action` or `Namespace::Action`), found `{Lexer.Clip(uid.ToString())}`");
        }
        return uid;
    }

    /// <summary><c>{"type": "User", "id": "alice"}</c>, also accepted wrapped as <c>{"__entity": {…}}</c>.</summary>
    public static EntityUid Uid(JsonElement e, string path)
    {
        RequireObject(e, path);
        if (e.TryGetProperty("__entity", out var inner))
        {
            OnlyFields(e, path, "__entity");
            return Uid(inner, path + ".__entity");
        }
        OnlyFields(e, path, "type", "id");
        var type = EntityType(Property(e, "type", path), path + ".type");
        var id = String(Property(e, "id", path), path + ".id");
        return new EntityUid(type, id);
    }

    private static string EntityType(JsonElement e, string path)
    {
        var type = String(e, path);
        if (!CedarNames.IsPath(type)) throw new PolicyJsonError(path, $"`{Lexer.Clip(type)}` is not a valid entity type name");
        return type;
    }

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

    private static JsonElement Property(JsonElement e, string name, string path) =>
        e.TryGetProperty(name, out var value) ? value : throw new PolicyJsonError(path, $"missing field `{name}`");

    private static string String(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new PolicyJsonError(path, $"expected a string, found {Kind(e)}");

    private static void RequireObject(JsonElement e, string path) => RequireKind(e, JsonValueKind.Object, path, "an object");

    private static void RequireKind(JsonElement e, JsonValueKind kind, string path, string what)
    {
        if (e.ValueKind != kind) throw new PolicyJsonError(path, $"expected {what}, found {Kind(e)}");
    }

    private static void OnlyFields(JsonElement e, string path, params string[] allowed)
    {
        foreach (var prop in e.EnumerateObject())
        {
            if (Array.IndexOf(allowed, prop.Name) < 0) throw new PolicyJsonError(path, $"unexpected field `{Lexer.Clip(prop.Name)}`");
        }
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
