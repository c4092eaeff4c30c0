using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Schema;

/// <summary>
/// Writes a <see cref="CedarSchema"/> in either format (what Cedar's CLI calls translating a
/// schema). Names are written fully qualified and common types inlined, so the text means
/// exactly the model: <c>Parse(Format(s))</c> equals <c>s</c>. Namespace annotations are not
/// part of the model and are not written.
/// </summary>
public static class SchemaFormatter
{
    private static readonly HashSet<string> Keywords =
        new(["namespace", "entity", "action", "type", "in", "appliesTo", "principal", "resource", "context", "tags", "enum", "Set"], StringComparer.Ordinal);

    /// <summary>The schema in the human (<c>.cedarschema</c>) format.</summary>
    public static string ToCedarSchema(CedarSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var sb = new StringBuilder();
        foreach (var ns in NamespacesOf(schema))
        {
            var indent = ns.Length == 0 ? "" : "  ";
            var body = new StringBuilder();
            foreach (var (name, type) in schema.CommonTypes.Where(c => NamespaceOf(c.Key) == ns).OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                body.Append(indent).Append("type ").Append(BaseName(name)).Append(" = ").Append(HumanType(schema, ns, type, indent)).Append(";\n");
            }
            foreach (var e in schema.EntityTypes.Values.Where(e => NamespaceOf(e.Name) == ns).OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                AppendAnnotations(body, e.Annotations, indent);
                body.Append(indent).Append("entity ").Append(BaseName(e.Name));
                if (e.EnumValues is { } values)
                {
                    body.Append(" enum [").Append(string.Join(", ", values.Select(CedarString.Quote))).Append(']');
                }
                else
                {
                    if (e.MemberOfTypes.Count > 0) body.Append(" in [").Append(string.Join(", ", e.MemberOfTypes)).Append(']');
                    if (e.Shape.Attributes.Count > 0) body.Append(' ').Append(HumanType(schema, ns, e.Shape, indent));
                    if (e.Tags is not null) body.Append(" tags ").Append(HumanType(schema, ns, e.Tags, indent));
                }
                body.Append(";\n");
            }
            foreach (var a in schema.Actions.Values.Where(a => NamespaceOf(a.Uid.Type) == ns).OrderBy(a => a.Uid.Id, StringComparer.Ordinal))
            {
                AppendAnnotations(body, a.Annotations, indent);
                body.Append(indent).Append("action ").Append(CedarString.Quote(a.Uid.Id));
                if (a.MemberOf.Count > 0) body.Append(" in [").Append(string.Join(", ", a.MemberOf.Select(m => m.ToString()))).Append(']');
                var ap = a.AppliesTo;
                // A declaration without appliesTo is how the human format says "applies to nothing".
                if (ap.PrincipalTypes.Count > 0 || ap.ResourceTypes.Count > 0 || ap.Context.Attributes.Count > 0)
                {
                    body.Append(" appliesTo {\n")
                        .Append(indent).Append("  principal: [").Append(string.Join(", ", ap.PrincipalTypes)).Append("],\n")
                        .Append(indent).Append("  resource: [").Append(string.Join(", ", ap.ResourceTypes)).Append("],\n")
                        .Append(indent).Append("  context: ").Append(HumanType(schema, ns, ap.Context, indent + "  ")).Append('\n')
                        .Append(indent).Append('}');
                }
                body.Append(";\n");
            }
            if (ns.Length == 0) sb.Append(body);
            else sb.Append("namespace ").Append(ns).Append(" {\n").Append(body).Append("}\n");
        }
        return sb.ToString();
    }

    /// <summary>The schema in Cedar's JSON schema format, indented.</summary>
    public static string ToJson(CedarSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var root = new JsonObject();
        foreach (var ns in NamespacesOf(schema))
        {
            var entityTypes = new JsonObject();
            foreach (var e in schema.EntityTypes.Values.Where(e => NamespaceOf(e.Name) == ns).OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                var o = new JsonObject();
                if (e.EnumValues is { } values) o["enum"] = new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
                if (e.MemberOfTypes.Count > 0) o["memberOfTypes"] = new JsonArray([.. e.MemberOfTypes.Select(v => (JsonNode)JsonValue.Create(v))]);
                if (e.Shape.Attributes.Count > 0) o["shape"] = JsonType(e.Shape);
                if (e.Tags is not null) o["tags"] = JsonType(e.Tags);
                if (e.Annotations.Count > 0) o["annotations"] = JsonAnnotations(e.Annotations);
                entityTypes[BaseName(e.Name)] = o;
            }
            var actions = new JsonObject();
            foreach (var a in schema.Actions.Values.Where(a => NamespaceOf(a.Uid.Type) == ns).OrderBy(a => a.Uid.Id, StringComparer.Ordinal))
            {
                var o = new JsonObject();
                if (a.MemberOf.Count > 0)
                {
                    o["memberOf"] = new JsonArray([.. a.MemberOf.Select(m => (JsonNode)new JsonObject { ["type"] = m.Type, ["id"] = m.Id })]);
                }
                var ap = new JsonObject
                {
                    ["principalTypes"] = new JsonArray([.. a.AppliesTo.PrincipalTypes.Select(v => (JsonNode)JsonValue.Create(v))]),
                    ["resourceTypes"] = new JsonArray([.. a.AppliesTo.ResourceTypes.Select(v => (JsonNode)JsonValue.Create(v))]),
                };
                if (a.AppliesTo.Context.Attributes.Count > 0) ap["context"] = JsonType(a.AppliesTo.Context);
                o["appliesTo"] = ap;
                if (a.Annotations.Count > 0) o["annotations"] = JsonAnnotations(a.Annotations);
                actions[a.Uid.Id] = o;
            }
            var nsObject = new JsonObject { ["entityTypes"] = entityTypes, ["actions"] = actions };
            var commons = schema.CommonTypes.Where(c => NamespaceOf(c.Key) == ns).OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
            if (commons.Count > 0)
            {
                var ct = new JsonObject();
                foreach (var (name, type) in commons) ct[BaseName(name)] = JsonType(type);
                nsObject["commonTypes"] = ct;
            }
            root[ns] = nsObject;
        }
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static IEnumerable<string> NamespacesOf(CedarSchema schema) =>
        schema.Namespaces
            .Concat(schema.EntityTypes.Keys.Select(NamespaceOf))
            .Concat(schema.Actions.Keys.Select(a => NamespaceOf(a.Type)))
            .Concat(schema.CommonTypes.Keys.Select(NamespaceOf))
            .Distinct()
            .OrderBy(n => n, StringComparer.Ordinal);

    private static string NamespaceOf(string qualified)
    {
        var i = qualified.LastIndexOf("::", StringComparison.Ordinal);
        return i < 0 ? "" : qualified[..i];
    }

    private static string BaseName(string qualified)
    {
        var i = qualified.LastIndexOf("::", StringComparison.Ordinal);
        return i < 0 ? qualified : qualified[(i + 2)..];
    }

    private static void AppendAnnotations(StringBuilder sb, ValueList<Annotation> annotations, string indent)
    {
        foreach (var a in annotations) sb.Append(indent).Append('@').Append(a.Key).Append('(').Append(CedarString.Quote(a.Value)).Append(")\n");
    }

    private static string HumanType(CedarSchema schema, string ns, CedarType type, string indent) => type switch
    {
        BoolType => Builtin(schema, ns, "Bool"),
        LongType => Builtin(schema, ns, "Long"),
        StringType => Builtin(schema, ns, "String"),
        ExtensionType x => Builtin(schema, ns, x.Name),
        EntityType e => e.Name,
        SetType s => $"Set<{HumanType(schema, ns, s.Element, indent)}>",
        RecordType r => HumanRecord(schema, ns, r, indent),
        _ => throw new InvalidOperationException("unknown schema type"), // a bug, not an input error
    };

    private static string HumanRecord(CedarSchema schema, string ns, RecordType r, string indent)
    {
        if (r.Attributes.Count == 0) return "{}";
        var inner = indent + "  ";
        var sb = new StringBuilder("{\n");
        for (var i = 0; i < r.Attributes.Count; i++)
        {
            var a = r.Attributes[i];
            AppendAnnotations(sb, a.Annotations, inner);
            sb.Append(inner).Append(AttributeName(a.Name)).Append(a.Required ? "" : "?").Append(": ")
                .Append(HumanType(schema, ns, a.Type, inner)).Append(i + 1 < r.Attributes.Count ? ",\n" : "\n");
        }
        return sb.Append(indent).Append('}').ToString();
    }

    // A built-in name is written plainly unless a declared type would capture it.
    private static string Builtin(CedarSchema schema, string ns, string name)
    {
        var local = ns.Length == 0 ? name : ns + "::" + name;
        var shadowed = schema.EntityTypes.ContainsKey(local) || schema.EntityTypes.ContainsKey(name)
            || schema.CommonTypes.ContainsKey(local) || schema.CommonTypes.ContainsKey(name);
        return shadowed ? "__cedar::" + name : name;
    }

    private static string AttributeName(string name)
    {
        var ident = name.Length > 0 && (name[0] == '_' || char.IsAsciiLetter(name[0]))
            && name.All(c => c == '_' || char.IsAsciiLetterOrDigit(c)) && !Keywords.Contains(name);
        return ident ? name : CedarString.Quote(name);
    }

    private static JsonObject JsonType(CedarType type) => type switch
    {
        BoolType => new JsonObject { ["type"] = "Boolean" },
        LongType => new JsonObject { ["type"] = "Long" },
        StringType => new JsonObject { ["type"] = "String" },
        ExtensionType x => new JsonObject { ["type"] = "Extension", ["name"] = x.Name },
        EntityType e => new JsonObject { ["type"] = "Entity", ["name"] = e.Name },
        SetType s => new JsonObject { ["type"] = "Set", ["element"] = JsonType(s.Element) },
        RecordType r => JsonRecord(r),
        _ => throw new InvalidOperationException("unknown schema type"), // a bug, not an input error
    };

    private static JsonObject JsonRecord(RecordType r)
    {
        var attributes = new JsonObject();
        foreach (var a in r.Attributes)
        {
            var t = JsonType(a.Type);
            if (!a.Required) t["required"] = false;
            if (a.Annotations.Count > 0) t["annotations"] = JsonAnnotations(a.Annotations);
            attributes[a.Name] = t;
        }
        return new JsonObject { ["type"] = "Record", ["attributes"] = attributes };
    }

    private static JsonObject JsonAnnotations(ValueList<Annotation> annotations)
    {
        var o = new JsonObject();
        foreach (var a in annotations) o[a.Key] = a.Value;
        return o;
    }
}
