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

    /// <summary>
    /// Converts agent-supplied JSON (tool arguments, body fields) literally: objects → records, arrays → sets,
    /// strings, booleans, whole numbers → Long. There are no escapes, so <c>__entity</c> and <c>__extn</c> stay
    /// plain record fields and an agent cannot forge an entity reference. Numbers that are not a Long become the
    /// String of their JSON text (Cedar has no floating point); <c>null</c> members and elements are left out
    /// (Cedar has no null, and <c>has</c> then answers false).
    /// </summary>
    public static Value ToLiteralValue(JsonElement json)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                return Value.String(json.GetString()!);
            case JsonValueKind.True:
                return Value.True;
            case JsonValueKind.False:
                return Value.False;
            case JsonValueKind.Number:
                return json.TryGetInt64(out var l) ? Value.Long(l) : Value.String(json.GetRawText());
            case JsonValueKind.Array:
                var items = new List<Value>();
                foreach (var item in json.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Null)
                    {
                        items.Add(ToLiteralValue(item));
                    }
                }

                return Value.Set(items);
            case JsonValueKind.Object:
                var fields = new List<KeyValuePair<string, Value>>();
                foreach (var p in json.EnumerateObject())
                {
                    if (p.Value.ValueKind != JsonValueKind.Null)
                    {
                        fields.Add(new(p.Name, ToLiteralValue(p.Value)));
                    }
                }

                return Value.Record(fields);
            default:
                return Value.Record([]);
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
