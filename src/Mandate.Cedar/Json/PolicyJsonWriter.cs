using System.Text.Json;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Syntax;

namespace Mandate.Cedar.Json;

/// <summary>Writes policies and expressions in Cedar's JSON policy format (the EST).</summary>
internal static class PolicyJsonWriter
{
    public static void WritePolicy(Utf8JsonWriter w, Policy p)
    {
        w.WriteStartObject();
        w.WriteString("effect", p.Effect == Effect.Permit ? "permit" : "forbid");
        w.WritePropertyName("principal");
        WriteScope(w, p.Principal);
        w.WritePropertyName("action");
        WriteActionScope(w, p.Action);
        w.WritePropertyName("resource");
        WriteScope(w, p.Resource);
        w.WriteStartArray("conditions");
        foreach (var c in p.Conditions)
        {
            w.WriteStartObject();
            w.WriteString("kind", c.Kind == ConditionKind.When ? "when" : "unless");
            w.WritePropertyName("body");
            WriteExpr(w, c.Body);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (p.Annotations.Count > 0)
        {
            w.WriteStartObject("annotations");
            foreach (var a in p.Annotations) w.WriteString(a.Key, a.Value);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteScope(Utf8JsonWriter w, ScopeConstraint s)
    {
        w.WriteStartObject();
        switch (s.Kind)
        {
            case ScopeKind.Any:
                w.WriteString("op", "All");
                break;
            case ScopeKind.Equal:
            case ScopeKind.In:
                w.WriteString("op", s.Kind == ScopeKind.Equal ? "==" : "in");
                WriteEntityRef(w, s.Entity!);
                break;
            case ScopeKind.Is:
            case ScopeKind.IsIn:
                w.WriteString("op", "is");
                w.WriteString("entity_type", s.EntityType);
                if (s.Kind == ScopeKind.IsIn)
                {
                    w.WriteStartObject("in");
                    WriteEntityRef(w, s.Entity!);
                    w.WriteEndObject();
                }
                break;
        }
        w.WriteEndObject();
    }

    private static void WriteEntityRef(Utf8JsonWriter w, EntityRef r)
    {
        switch (r)
        {
            case EntityRef.Literal l:
                w.WritePropertyName("entity");
                WriteUid(w, l.Uid);
                break;
            case EntityRef.SlotRef s:
                w.WriteString("slot", SlotText(s.Slot));
                break;
        }
    }

    private static void WriteActionScope(Utf8JsonWriter w, ActionConstraint a)
    {
        w.WriteStartObject();
        switch (a.Kind)
        {
            case ActionScopeKind.Any:
                w.WriteString("op", "All");
                break;
            case ActionScopeKind.Equal:
            case ActionScopeKind.In:
                w.WriteString("op", a.Kind == ActionScopeKind.Equal ? "==" : "in");
                w.WritePropertyName("entity");
                WriteUid(w, a.Entities[0]);
                break;
            case ActionScopeKind.InList:
                w.WriteString("op", "in");
                w.WriteStartArray("entities");
                foreach (var uid in a.Entities) WriteUid(w, uid);
                w.WriteEndArray();
                break;
        }
        w.WriteEndObject();
    }

    public static void WriteUid(Utf8JsonWriter w, EntityUid uid)
    {
        w.WriteStartObject();
        w.WriteString("type", uid.Type);
        w.WriteString("id", uid.Id);
        w.WriteEndObject();
    }

    public static string SlotText(SlotId slot) => slot == SlotId.Principal ? "?principal" : "?resource";

    public static void WriteExpr(Utf8JsonWriter w, Expr e)
    {
        w.WriteStartObject();
        switch (e)
        {
            case BoolLiteral b:
                w.WriteBoolean("Value", b.Value);
                break;
            case LongLiteral l:
                w.WriteNumber("Value", l.Value);
                break;
            case StringLiteral s:
                w.WriteString("Value", s.Value);
                break;
            case EntityLiteral en:
                w.WriteStartObject("Value");
                w.WritePropertyName("__entity");
                WriteUid(w, en.Uid);
                w.WriteEndObject();
                break;
            case VarExpr v:
                w.WriteString("Var", CedarNames.VarName(v.Var));
                break;
            case SlotExpr s:
                w.WriteString("Slot", SlotText(s.Slot));
                break;
            case IfExpr x:
                w.WriteStartObject("if-then-else");
                w.WritePropertyName("if");
                WriteExpr(w, x.Condition);
                w.WritePropertyName("then");
                WriteExpr(w, x.Then);
                w.WritePropertyName("else");
                WriteExpr(w, x.Else);
                w.WriteEndObject();
                break;
            case AndExpr x:
                WriteBinary(w, "&&", x.Left, x.Right);
                break;
            case OrExpr x:
                WriteBinary(w, "||", x.Left, x.Right);
                break;
            case UnaryExpr x:
                w.WriteStartObject(x.Op switch { UnaryOp.Not => "!", UnaryOp.Negate => "neg", _ => "isEmpty" });
                w.WritePropertyName("arg");
                WriteExpr(w, x.Operand);
                w.WriteEndObject();
                break;
            case BinaryExpr x:
                WriteBinary(w, BinaryKey(x.Op), x.Left, x.Right);
                break;
            case GetAttrExpr x:
                w.WriteStartObject(".");
                w.WritePropertyName("left");
                WriteExpr(w, x.Target);
                w.WriteString("attr", x.Attribute);
                w.WriteEndObject();
                break;
            case HasAttrExpr x:
                w.WriteStartObject("has");
                w.WritePropertyName("left");
                WriteExpr(w, x.Target);
                w.WriteString("attr", x.Attribute);
                w.WriteEndObject();
                break;
            case LikeExpr x:
                w.WriteStartObject("like");
                w.WritePropertyName("left");
                WriteExpr(w, x.Target);
                w.WriteStartArray("pattern");
                foreach (var part in x.Pattern.Parts)
                {
                    if (part.IsWildcard)
                    {
                        w.WriteStringValue("Wildcard");
                    }
                    else
                    {
                        w.WriteStartObject();
                        w.WriteString("Literal", part.Text);
                        w.WriteEndObject();
                    }
                }
                w.WriteEndArray();
                w.WriteEndObject();
                break;
            case IsExpr x:
                w.WriteStartObject("is");
                w.WritePropertyName("left");
                WriteExpr(w, x.Target);
                w.WriteString("entity_type", x.EntityType);
                if (x.In is not null)
                {
                    w.WritePropertyName("in");
                    WriteExpr(w, x.In);
                }
                w.WriteEndObject();
                break;
            case SetExpr x:
                w.WriteStartArray("Set");
                foreach (var item in x.Elements) WriteExpr(w, item);
                w.WriteEndArray();
                break;
            case RecordExpr x:
                w.WriteStartObject("Record");
                foreach (var entry in x.Entries)
                {
                    w.WritePropertyName(entry.Key);
                    WriteExpr(w, entry.Value);
                }
                w.WriteEndObject();
                break;
            case ExtensionCallExpr x:
                w.WriteStartArray(x.Function);
                foreach (var arg in x.Arguments) WriteExpr(w, arg);
                w.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"unknown expression node {e.GetType().Name}", nameof(e));
        }
        w.WriteEndObject();
    }

    private static void WriteBinary(Utf8JsonWriter w, string key, Expr left, Expr right)
    {
        w.WriteStartObject(key);
        w.WritePropertyName("left");
        WriteExpr(w, left);
        w.WritePropertyName("right");
        WriteExpr(w, right);
        w.WriteEndObject();
    }

    public static string BinaryKey(BinaryOp op) => op switch
    {
        BinaryOp.Equal => "==",
        BinaryOp.NotEqual => "!=",
        BinaryOp.Less => "<",
        BinaryOp.LessEqual => "<=",
        BinaryOp.Greater => ">",
        BinaryOp.GreaterEqual => ">=",
        BinaryOp.In => "in",
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        _ => CedarNames.MethodName(op)!,
    };
}
