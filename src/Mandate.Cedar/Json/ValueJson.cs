using System.Text.Json;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Json;

/// <summary>Cedar values to and from their JSON form (the form entity attributes and context use).</summary>
public static class ValueJson
{
    /// <summary>Reads one value, against <paramref name="expected"/> when given (schema-aware).</summary>
    public static CedarJsonResult<Value> Parse(JsonElement json, CedarType? expected = null)
    {
        var errors = new List<CedarJsonError>();
        var v = new ValueJsonReader(errors).Read(json, expected, "");
        return CedarJsonResult<Value>.From(v, errors);
    }

    /// <summary>
    /// Writes <paramref name="value"/> in canonical JSON: entities as <c>{"__entity": {type, id}}</c>,
    /// extension values as <c>{"__extn": {fn, arg}}</c>, sets as arrays, records as objects
    /// (keys in ordinal order).
    /// </summary>
    public static void Write(Utf8JsonWriter writer, Value value)
    {
        switch (value)
        {
            case BoolValue b:
                writer.WriteBooleanValue(b.Value);
                break;
            case LongValue l:
                writer.WriteNumberValue(l.Value);
                break;
            case StringValue s:
                writer.WriteStringValue(s.Value);
                break;
            case EntityValue e:
                writer.WriteStartObject();
                writer.WriteStartObject("__entity");
                writer.WriteString("type", e.Uid.Type);
                writer.WriteString("id", e.Uid.Id);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            case SetValue set:
                writer.WriteStartArray();
                foreach (var x in set.Items) Write(writer, x);
                writer.WriteEndArray();
                break;
            case RecordValue r:
                writer.WriteStartObject();
                foreach (var k in r.Keys)
                {
                    writer.WritePropertyName(k);
                    Write(writer, r.Fields[k]);
                }
                writer.WriteEndObject();
                break;
            case ExtensionValue x:
                writer.WriteStartObject();
                writer.WriteStartObject("__extn");
                writer.WriteString("fn", x.ConstructorName);
                writer.WriteString("arg", x.ToArgumentString());
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            default:
                throw new ArgumentException($"unknown value kind {value.Kind}", nameof(value));
        }
    }

    /// <summary>The canonical JSON text of <paramref name="value"/>.</summary>
    public static string ToJson(Value value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) Write(writer, value);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
