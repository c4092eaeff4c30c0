using System.Text.Json;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Extensions;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Json;

/// <summary>
/// Reads Cedar values from JSON, with or without an expected schema type, collecting errors.
/// Without a type: booleans, 64-bit integers, strings, arrays (sets), objects (records), and
/// the escapes <c>{"__entity": {type, id}}</c> and <c>{"__extn": {fn, arg | args}}</c>.
/// With a type (schema-aware): additionally <c>{type, id}</c> where an entity is expected and a
/// plain string where an extension value is expected; records are closed (unknown attributes
/// and missing required ones are errors).
/// </summary>
internal sealed class ValueJsonReader(List<CedarJsonError> errors)
{
    public List<CedarJsonError> Errors { get; } = errors;

    public Value? Read(JsonElement json, CedarType? expected, string path)
    {
        if (expected is null) return ReadUntyped(json, path);
        switch (expected)
        {
            case BoolType:
                if (json.ValueKind is JsonValueKind.True or JsonValueKind.False) return Value.Bool(json.GetBoolean());
                return Mismatch(expected, json, path);
            case LongType:
                if (json.ValueKind == JsonValueKind.Number) return ReadLong(json, path);
                return Mismatch(expected, json, path);
            case StringType:
                if (json.ValueKind == JsonValueKind.String) return Value.String(json.GetString()!);
                return Mismatch(expected, json, path);
            case SetType set:
                if (json.ValueKind != JsonValueKind.Array) return Mismatch(expected, json, path);
                return ReadSet(json, set.Element, path);
            case RecordType record:
                if (json.ValueKind != JsonValueKind.Object) return Mismatch(expected, json, path);
                return ReadRecord(json, record, path);
            case EntityType entity:
                return ReadEntityRef(json, entity, path);
            case ExtensionType ext:
                return ReadExtension(json, ext, path);
            default:
                return ReadUntyped(json, path);
        }
    }

    /// <summary>Reads a record against a closed record type.</summary>
    public RecordValue? ReadRecord(JsonElement json, RecordType type, string path)
    {
        var fields = new Dictionary<string, Value>(StringComparer.Ordinal);
        var ok = true;
        foreach (var prop in json.EnumerateObject())
        {
            var attr = type.Find(prop.Name);
            var p = Join(path, prop.Name);
            if (attr is null)
            {
                Error(CedarJsonErrorCodes.Schema, $"attribute `{prop.Name}` is not declared in the schema", p);
                ok = false;
                continue;
            }
            var v = Read(prop.Value, attr.Type, p);
            if (v is null) ok = false;
            else fields[prop.Name] = v;
        }
        foreach (var attr in type.Attributes)
        {
            if (attr.Required && !fields.ContainsKey(attr.Name) && ok)
            {
                Error(CedarJsonErrorCodes.Schema, $"required attribute `{attr.Name}` is missing", path);
                ok = false;
            }
        }
        return ok ? RecordValue.Adopt(fields) : null;
    }

    private Value? ReadUntyped(JsonElement json, string path)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.True:
            case JsonValueKind.False:
                return Value.Bool(json.GetBoolean());
            case JsonValueKind.Number:
                return ReadLong(json, path);
            case JsonValueKind.String:
                return Value.String(json.GetString()!);
            case JsonValueKind.Array:
                return ReadSet(json, null, path);
            case JsonValueKind.Object:
                if (TryGetSingle(json, "__entity", out var entity)) return ReadUid(entity, Join(path, "__entity")) is { } uid ? Value.Entity(uid) : null;
                if (TryGetSingle(json, "__extn", out var extn)) return ReadExtnEscape(extn, Join(path, "__extn"));
                if (TryGetSingle(json, "__expr", out _))
                {
                    return Error(CedarJsonErrorCodes.Shape, "the `__expr` escape is no longer supported", path);
                }
                var fields = new Dictionary<string, Value>(StringComparer.Ordinal);
                var ok = true;
                foreach (var prop in json.EnumerateObject())
                {
                    var v = ReadUntyped(prop.Value, Join(path, prop.Name));
                    if (v is null) ok = false;
                    else fields[prop.Name] = v;
                }
                return ok ? RecordValue.Adopt(fields) : null;
            default:
                return Error(CedarJsonErrorCodes.Shape, $"`{json.ValueKind.ToString().ToLowerInvariant()}` is not a Cedar value", path);
        }
    }

    private Value? ReadLong(JsonElement json, string path) =>
        json.TryGetInt64(out var l)
            ? Value.Long(l)
            : Error(CedarJsonErrorCodes.Number, $"`{json.GetRawText()}` is not a 64-bit integer", path);

    private SetValue? ReadSet(JsonElement json, CedarType? element, string path)
    {
        var items = new List<Value>(json.GetArrayLength());
        var ok = true;
        var i = 0;
        foreach (var e in json.EnumerateArray())
        {
            var v = Read(e, element, $"{path}[{i++}]");
            if (v is null) ok = false;
            else items.Add(v);
        }
        return ok ? SetValue.Create(items) : null;
    }

    private Value? ReadEntityRef(JsonElement json, EntityType expected, string path)
    {
        if (json.ValueKind != JsonValueKind.Object) return Mismatch(expected, json, path);
        EntityUid? uid;
        if (TryGetSingle(json, "__entity", out var inner)) uid = ReadUid(inner, Join(path, "__entity"));
        else if (json.TryGetProperty("type", out _) && json.TryGetProperty("id", out _)) uid = ReadUid(json, path);
        else return Mismatch(expected, json, path);
        if (uid is null) return null;
        if (!string.Equals(uid.Type, expected.Name, StringComparison.Ordinal))
        {
            return Error(CedarJsonErrorCodes.Schema, $"expected an entity of type `{expected.Name}`, got `{uid}`", path);
        }
        return Value.Entity(uid);
    }

    private Value? ReadExtension(JsonElement json, ExtensionType expected, string path)
    {
        Value? v;
        if (json.ValueKind == JsonValueKind.String)
        {
            // Schema-aware: a plain string is the argument of the type's constructor.
            var ctor = expected.Name == "ipaddr" ? "ip" : expected.Name;
            v = ExtensionFunctions.Call(ctor, [Value.String(json.GetString()!)], out var err);
            if (v is null) return Error(CedarJsonErrorCodes.Extension, err ?? "invalid extension value", path);
        }
        else if (json.ValueKind == JsonValueKind.Object && TryGetSingle(json, "__extn", out var extn))
        {
            v = ReadExtnEscape(extn, Join(path, "__extn"));
            if (v is null) return null;
        }
        else
        {
            return Mismatch(expected, json, path);
        }
        if (v.TypeName != expected.Name)
        {
            return Error(CedarJsonErrorCodes.Schema, $"expected a value of type `{expected.Name}`, got `{v.TypeName}`", path);
        }
        return v;
    }

    private Value? ReadExtnEscape(JsonElement extn, string path)
    {
        if (extn.ValueKind != JsonValueKind.Object || !extn.TryGetProperty("fn", out var fn) || fn.ValueKind != JsonValueKind.String)
        {
            return Error(CedarJsonErrorCodes.Shape, "`__extn` must be an object with `fn` and `arg` or `args`", path);
        }
        var args = new List<Value>();
        var hasArg = extn.TryGetProperty("arg", out var arg);
        var hasArgs = extn.TryGetProperty("args", out var argList);
        var extra = extn.EnumerateObject().Any(p => p.Name is not ("fn" or "arg" or "args"));
        if (hasArg == hasArgs || extra || (hasArgs && argList.ValueKind != JsonValueKind.Array))
        {
            return Error(CedarJsonErrorCodes.Shape, "`__extn` must be an object with `fn` and `arg` or `args`", path);
        }
        if (hasArg)
        {
            var v = ReadUntyped(arg, Join(path, "arg"));
            if (v is null) return null;
            args.Add(v);
        }
        else
        {
            var i = 0;
            foreach (var a in argList.EnumerateArray())
            {
                var v = ReadUntyped(a, $"{path}.args[{i++}]");
                if (v is null) return null;
                args.Add(v);
            }
        }
        var name = fn.GetString()!;
        var result = ExtensionFunctions.Call(name, args.ToArray(), out var err);
        return result ?? Error(CedarJsonErrorCodes.Extension, err ?? $"`{name}` failed", path);
    }

    /// <summary>Reads <c>{"type": "T", "id": "i"}</c> (exactly those two string fields).</summary>
    public EntityUid? ReadUid(JsonElement json, string path)
    {
        if (json.ValueKind == JsonValueKind.Object
            && json.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            && json.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            && json.EnumerateObject().Count() == 2)
        {
            return new EntityUid(type.GetString()!, id.GetString()!);
        }
        Error(CedarJsonErrorCodes.Shape, "an entity uid must be an object with string fields `type` and `id`", path);
        return null;
    }

    private static bool TryGetSingle(JsonElement obj, string name, out JsonElement value)
    {
        value = default;
        if (!obj.TryGetProperty(name, out value)) return false;
        using var e = obj.EnumerateObject();
        var count = 0;
        while (e.MoveNext()) count++;
        return count == 1;
    }

    private Value? Mismatch(CedarType expected, JsonElement json, string path) =>
        Error(CedarJsonErrorCodes.Schema, $"expected a value of type `{expected}`, got {Describe(json)}", path);

    private static string Describe(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {CedarString.Quote(json.GetString()!)}",
        JsonValueKind.Number => $"the number {json.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    public Value? Error(string code, string message, string path)
    {
        Errors.Add(new CedarJsonError(code, message, path));
        return null;
    }

    public static string Join(string path, string name) =>
        path.Length == 0 ? name : $"{path}.{name}";
}
