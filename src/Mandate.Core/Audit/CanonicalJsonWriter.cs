using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mandate.Core.Audit;

/// <summary>
/// Writes canonical JSON: object keys sorted by ordinal (UTF-16 code unit) order, no whitespace, UTF-8,
/// null members left out. Values are built as a small tree of <see cref="SortedDictionary{TKey,TValue}"/>,
/// lists, strings, longs and booleans so the sorting rule lives in one place.
/// </summary>
public static class CanonicalJsonWriter
{
    // Non-ASCII text stays raw UTF-8 (only quotes, backslash and control characters are escaped), so the
    // stored text reads as written. The hash covers the stored bytes, so a later change in escaping rules
    // never breaks verification of old records.
    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    /// <summary>Creates an object node whose keys will be written in canonical order.</summary>
    public static SortedDictionary<string, object?> NewObject() => new(StringComparer.Ordinal);

    /// <summary>Serializes <paramref name="value"/> (an object node, list, string, number, bool) to canonical UTF-8 JSON.</summary>
    public static byte[] ToUtf8(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, value);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case SortedDictionary<string, object?> obj:
                writer.WriteStartObject();
                foreach (var (key, item) in obj)
                {
                    if (item is null)
                    {
                        continue; // INVARIANT: absent and null mean the same, so new nullable fields never change old records
                    }
                    writer.WritePropertyName(key);
                    Write(writer, item);
                }
                writer.WriteEndObject();
                break;
            case IEnumerable<string> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    writer.WriteStringValue(item);
                }
                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"unsupported canonical json value of type {value.GetType().Name}", nameof(value));
        }
    }
}
