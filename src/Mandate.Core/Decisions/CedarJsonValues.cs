using System.Text.Json;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Extensions;
using Mandate.Cedar.Values;

namespace Mandate.Core.Decisions;

/// <summary>
/// Cedar's JSON value form → Cedar values: strings, integers (Long), booleans, arrays (Set),
/// objects (Record), and the escapes <c>{"__entity": {"type", "id"}}</c> and
/// <c>{"__extn": {"fn", "arg"}}</c>. Anything else (fractions, null) is an error value.
/// </summary>
public static class CedarJsonValues
{
    /// <summary>Converts one JSON value; returns null and an error message when it has no Cedar form.</summary>
    public static Value? ToValue(JsonElement json, out string? error)
    {
        error = null;
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                return Value.String(json.GetString()!);
            case JsonValueKind.True:
                return Value.True;
            case JsonValueKind.False:
                return Value.False;
            case JsonValueKind.Number when json.TryGetInt64(out var l):
                return Value.Long(l);
            case JsonValueKind.Array:
                var items = new List<Value>();
                foreach (var item in json.EnumerateArray())
                {
                    var v = ToValue(item, out error);
                    if (v is null)
                    {
                        return null;
                    }

                    items.Add(v);
                }

                return Value.Set(items);
            case JsonValueKind.Object:
                if (json.TryGetProperty("__entity", out var entity))
                {
                    var uid = ToUid(entity, out error);
                    return uid is null ? null : Value.Entity(uid);
                }

                if (json.TryGetProperty("__extn", out var extn))
                {
                    return Extension(extn, out error);
                }

                var fields = new List<KeyValuePair<string, Value>>();
                foreach (var p in json.EnumerateObject())
                {
                    var v = ToValue(p.Value, out error);
                    if (v is null)
                    {
                        error = $"`{p.Name}`: {error}";
                        return null;
                    }

                    fields.Add(new(p.Name, v));
                }

                return Value.Record(fields);
            default:
                error = $"a {json.ValueKind.ToString().ToLowerInvariant()} has no cedar value (use whole numbers, strings, booleans, arrays, objects)";
                return null;
        }
    }

    /// <summary>Reads <c>{"type": "...", "id": "..."}</c> (or the same wrapped in <c>__entity</c>).</summary>
    public static EntityUid? ToUid(JsonElement json, out string? error)
    {
        error = null;
        if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("__entity", out var inner))
        {
            json = inner;
        }

        if (json.ValueKind != JsonValueKind.Object ||
            !json.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String ||
            !json.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
        {
            error = "an entity reference must be {\"type\": \"…\", \"id\": \"…\"}";
            return null;
        }

        return new EntityUid(type.GetString()!, id.GetString()!);
    }

    /// <summary>Converts an attributes dictionary to a record.</summary>
    public static RecordValue? ToRecord(IReadOnlyDictionary<string, JsonElement> attributes, out string? error)
    {
        error = null;
        var fields = new List<KeyValuePair<string, Value>>(attributes.Count);
        foreach (var (name, json) in attributes)
        {
            var v = ToValue(json, out error);
            if (v is null)
            {
                error = $"attribute `{name}`: {error}";
                return null;
            }

            fields.Add(new(name, v));
        }

        return Value.Record(fields);
    }

    private static Value? Extension(JsonElement extn, out string? error)
    {
        if (extn.ValueKind != JsonValueKind.Object ||
            !extn.TryGetProperty("fn", out var fn) || fn.ValueKind != JsonValueKind.String ||
            !extn.TryGetProperty("arg", out var arg) || arg.ValueKind != JsonValueKind.String)
        {
            error = "an extension value must be {\"__extn\": {\"fn\": \"…\", \"arg\": \"…\"}}";
            return null;
        }

        return ExtensionFunctions.Call(fn.GetString()!, [Value.String(arg.GetString()!)], out error);
    }
}
