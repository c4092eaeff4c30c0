using System.Collections.Immutable;
using System.Text.Json;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Syntax;

namespace Mandate.Cedar.Json;

/// <summary>
/// Reads Cedar's JSON policy format (the EST) into the AST. Malformed input raises
/// <see cref="PolicyJsonError"/>, which <see cref="PolicyJson"/> turns into a diagnostic; it
/// never escapes the public API.
/// </summary>
/// <remarks>
/// This file reads policies, conditions, scopes and entity uids; <c>PolicyJsonReader.Expressions.cs</c>
/// reads expressions and values, and <c>PolicyJsonReader.Shape.cs</c> holds the checks on JSON shape.
/// </remarks>
internal static partial class PolicyJsonReader
{
    /// <summary>A structural problem, with the JSON path where it was found.</summary>
    internal sealed class PolicyJsonError(string path, string message) : Exception(message)
    {
        public string Path { get; } = path;
    }

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
}
