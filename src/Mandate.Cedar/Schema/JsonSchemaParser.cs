using System.Text.Json;
using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Schema;

/// <summary>
/// Parses Cedar's JSON schema format into a <see cref="SchemaFragment"/>:
/// <c>{"Ns": {"entityTypes": {..}, "actions": {..}, "commonTypes": {..}, "annotations": {..}}}</c>,
/// with types <c>{"type": "Long"|"String"|"Boolean"|"Set"|"Record"|"Entity"|"Extension"|"EntityOrCommon"|CommonName}</c>.
/// Duplicate JSON properties are rejected. Collects every shape error it finds.
/// </summary>
internal sealed class JsonSchemaParser
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowDuplicateProperties = false,
        MaxDepth = 256,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    private readonly string _fileName;
    private readonly List<SchemaDiagnostic> _diagnostics;

    private JsonSchemaParser(string fileName, List<SchemaDiagnostic> diagnostics)
    {
        _fileName = fileName;
        _diagnostics = diagnostics;
    }

    /// <summary>Parses <paramref name="text"/>; null when any error was reported.</summary>
    public static SchemaFragment? Parse(string text, string fileName, List<SchemaDiagnostic> diagnostics)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, Options);
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? -1) + 1;
            var col = (int)(e.BytePositionInLine ?? -1) + 1;
            diagnostics.Add(new SchemaDiagnostic(SchemaErrorCodes.Syntax, $"invalid JSON schema: {FirstSentence(e.Message)}", fileName, line, col));
            return null;
        }
        using (doc)
        {
            var before = diagnostics.Count;
            var fragment = new JsonSchemaParser(fileName, diagnostics).ParseRoot(doc.RootElement);
            return diagnostics.Count == before ? fragment : null;
        }
    }

    private static string FirstSentence(string message)
    {
        var dot = message.IndexOf(". ", StringComparison.Ordinal);
        var s = dot > 0 ? message[..dot] : message.TrimEnd('.');
        return s.Length > 0 ? char.ToLowerInvariant(s[0]) + s[1..] : s;
    }

    private SchemaFragment ParseRoot(JsonElement root)
    {
        var namespaces = new List<NamespaceDecl>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            Error("a JSON schema must be an object mapping namespace names to their declarations");
            return new SchemaFragment(namespaces);
        }
        foreach (var ns in root.EnumerateObject())
        {
            if (ns.Value.ValueKind != JsonValueKind.Object)
            {
                Error($"namespace `{ns.Name}` must be an object");
                continue;
            }
            var decl = new NamespaceDecl(ns.Name, [], [], [], ReadAnnotations(ns.Value, $"namespace `{ns.Name}`"), SchemaPos.None);
            var hasEntityTypes = false;
            var hasActions = false;
            foreach (var part in ns.Value.EnumerateObject())
            {
                switch (part.Name)
                {
                    case "entityTypes":
                        hasEntityTypes = true;
                        foreach (var e in Members(part.Value, "entityTypes")) decl.Entities.Add(ReadEntity(e.Name, e.Value));
                        break;
                    case "actions":
                        hasActions = true;
                        foreach (var a in Members(part.Value, "actions")) decl.Actions.Add(ReadAction(a.Name, a.Value));
                        break;
                    case "commonTypes":
                        foreach (var c in Members(part.Value, "commonTypes"))
                        {
                            decl.CommonTypes.Add(new CommonTypeDecl(c.Name, ReadType(c.Value, $"common type `{c.Name}`"), ReadAnnotations(c.Value, $"common type `{c.Name}`"), SchemaPos.None));
                        }
                        break;
                    case "annotations":
                        break;
                    default:
                        Error($"unknown field `{part.Name}` in namespace `{ns.Name}`");
                        break;
                }
            }
            if (!hasEntityTypes) Error($"namespace `{ns.Name}` is missing `entityTypes`");
            if (!hasActions) Error($"namespace `{ns.Name}` is missing `actions`");
            namespaces.Add(decl);
        }
        return new SchemaFragment(namespaces);
    }

    private EntityDecl ReadEntity(string name, JsonElement e)
    {
        var where = $"entity type `{name}`";
        var memberOf = new List<string>();
        TypeExpr? shape = null, tags = null;
        List<string>? enumValues = null;
        if (e.ValueKind != JsonValueKind.Object) Error($"{where} must be an object");
        else
        {
            foreach (var p in e.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "memberOfTypes": memberOf = Strings(p.Value, where + " `memberOfTypes`"); break;
                    case "shape": shape = ReadType(p.Value, where + " shape"); break;
                    case "tags": tags = ReadType(p.Value, where + " tags"); break;
                    case "enum":
                        enumValues = Strings(p.Value, where + " `enum`");
                        if (enumValues.Count == 0) Error($"{where}: an enumerated entity type needs at least one value");
                        break;
                    case "annotations": break;
                    default: Error($"unknown field `{p.Name}` in {where}"); break;
                }
            }
            if (enumValues is not null && (shape is not null || tags is not null || memberOf.Count > 0))
            {
                Error($"{where}: an enumerated entity type cannot have a shape, tags or parents");
            }
        }
        return new EntityDecl(name, memberOf, shape, tags, enumValues, ReadAnnotations(e, where), SchemaPos.None);
    }

    private ActionDecl ReadAction(string name, JsonElement a)
    {
        var where = $"action `{name}`";
        var memberOf = new List<ActionRefDecl>();
        AppliesToDecl? appliesTo = null;
        if (a.ValueKind != JsonValueKind.Object) Error($"{where} must be an object");
        else
        {
            foreach (var p in a.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "memberOf":
                        if (p.Value.ValueKind != JsonValueKind.Array)
                        {
                            Error($"{where} `memberOf` must be an array");
                            break;
                        }
                        foreach (var m in p.Value.EnumerateArray())
                        {
                            if (m.ValueKind == JsonValueKind.Object && m.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                            {
                                string? type = null;
                                if (m.TryGetProperty("type", out var t))
                                {
                                    if (t.ValueKind == JsonValueKind.String) type = t.GetString();
                                    else Error($"{where} `memberOf` type must be a string");
                                }
                                memberOf.Add(new ActionRefDecl(type, id.GetString()!, SchemaPos.None));
                            }
                            else
                            {
                                Error($"{where} `memberOf` entries must be objects with a string `id`");
                            }
                        }
                        break;
                    case "appliesTo":
                        appliesTo = ReadAppliesTo(p.Value, where);
                        break;
                    case "annotations":
                        break;
                    case "attributes":
                        Error($"{where}: action attributes are not supported");
                        break;
                    default:
                        Error($"unknown field `{p.Name}` in {where}");
                        break;
                }
            }
        }
        return new ActionDecl(name, memberOf, appliesTo, ReadAnnotations(a, where), SchemaPos.None);
    }

    private AppliesToDecl? ReadAppliesTo(JsonElement ap, string where)
    {
        if (ap.ValueKind == JsonValueKind.Null) return null;
        if (ap.ValueKind != JsonValueKind.Object)
        {
            Error($"{where} `appliesTo` must be an object");
            return null;
        }
        var principals = new List<string>();
        var resources = new List<string>();
        TypeExpr? context = null;
        foreach (var p in ap.EnumerateObject())
        {
            switch (p.Name)
            {
                case "principalTypes": principals = Strings(p.Value, where + " `principalTypes`"); break;
                case "resourceTypes": resources = Strings(p.Value, where + " `resourceTypes`"); break;
                case "context": context = ReadType(p.Value, where + " context"); break;
                default: Error($"unknown field `{p.Name}` in {where} `appliesTo`"); break;
            }
        }
        return new AppliesToDecl(principals, resources, context, SchemaPos.None);
    }

    private TypeExpr ReadType(JsonElement t, string where, int depth = 0)
    {
        var pos = SchemaPos.None;
        if (depth > 200)
        {
            Error($"{where}: type is nested too deeply");
            return new BuiltinTypeExpr(BoolType.Instance, pos);
        }
        if (t.ValueKind != JsonValueKind.Object || !t.TryGetProperty("type", out var typeProp) || typeProp.ValueKind != JsonValueKind.String)
        {
            Error($"{where}: a type must be an object with a string `type`");
            return new BuiltinTypeExpr(BoolType.Instance, pos);
        }
        var kind = typeProp.GetString()!;
        string? Name()
        {
            if (t.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String) return n.GetString();
            Error($"{where}: type `{kind}` needs a string `name`");
            return null;
        }
        switch (kind)
        {
            case "Long": return new BuiltinTypeExpr(LongType.Instance, pos);
            case "String": return new BuiltinTypeExpr(StringType.Instance, pos);
            case "Boolean": return new BuiltinTypeExpr(BoolType.Instance, pos);
            case "Set":
                if (!t.TryGetProperty("element", out var element))
                {
                    Error($"{where}: a `Set` type needs `element`");
                    return new BuiltinTypeExpr(BoolType.Instance, pos);
                }
                return new SetTypeExpr(ReadType(element, where, depth + 1), pos);
            case "Record":
                {
                    var attrs = new List<AttributeDecl>();
                    if (t.TryGetProperty("additionalAttributes", out var extra) && extra.ValueKind == JsonValueKind.True)
                    {
                        Error($"{where}: `additionalAttributes` is not supported");
                    }
                    if (t.TryGetProperty("attributes", out var attributes))
                    {
                        foreach (var a in Members(attributes, where + " attributes"))
                        {
                            var required = true;
                            if (a.Value.ValueKind == JsonValueKind.Object && a.Value.TryGetProperty("required", out var req))
                            {
                                if (req.ValueKind is JsonValueKind.True or JsonValueKind.False) required = req.GetBoolean();
                                else Error($"{where}: `required` of attribute `{a.Name}` must be a boolean");
                            }
                            attrs.Add(new AttributeDecl(a.Name, ReadType(a.Value, where, depth + 1), required, ReadAnnotations(a.Value, $"attribute `{a.Name}`"), pos));
                        }
                    }
                    return new RecordTypeExpr(attrs, pos);
                }
            case "Entity":
                return Name() is { } en ? new NamedTypeExpr(en, NameKind.Entity, pos) : new BuiltinTypeExpr(BoolType.Instance, pos);
            case "Extension":
                return Name() is { } xn ? new NamedTypeExpr(xn, NameKind.Extension, pos) : new BuiltinTypeExpr(BoolType.Instance, pos);
            case "EntityOrCommon":
                return Name() is { } on ? new NamedTypeExpr(on, NameKind.EntityOrCommon, pos) : new BuiltinTypeExpr(BoolType.Instance, pos);
            default:
                return new NamedTypeExpr(kind, NameKind.Common, pos);
        }
    }

    private ValueList<Annotation> ReadAnnotations(JsonElement owner, string where)
    {
        if (owner.ValueKind != JsonValueKind.Object || !owner.TryGetProperty("annotations", out var a)) return ValueList<Annotation>.Empty;
        var list = new List<Annotation>();
        foreach (var p in Members(a, where + " annotations"))
        {
            if (p.Value.ValueKind == JsonValueKind.String) list.Add(new Annotation(p.Name, p.Value.GetString()!));
            else if (p.Value.ValueKind == JsonValueKind.Null) list.Add(new Annotation(p.Name, ""));
            else Error($"{where}: annotation `{p.Name}` must be a string");
        }
        return new ValueList<Annotation>(list);
    }

    private IEnumerable<JsonProperty> Members(JsonElement e, string where)
    {
        if (e.ValueKind == JsonValueKind.Object) return e.EnumerateObject();
        Error($"{where} must be an object");
        return [];
    }

    private List<string> Strings(JsonElement e, string where)
    {
        var list = new List<string>();
        if (e.ValueKind != JsonValueKind.Array)
        {
            Error($"{where} must be an array of strings");
            return list;
        }
        foreach (var s in e.EnumerateArray())
        {
            if (s.ValueKind == JsonValueKind.String) list.Add(s.GetString()!);
            else Error($"{where} must be an array of strings");
        }
        return list;
    }

    private void Error(string message) => _diagnostics.Add(new SchemaDiagnostic(SchemaErrorCodes.Syntax, message, _fileName, 0, 0));
}
