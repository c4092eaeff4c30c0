using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mandate.Core.Audit;

/// <summary>
/// The stored form of one record: canonical JSON of the event plus <c>seq</c> and the format version <c>v</c>.
/// Field names are snake_case; see docs/audit.md for the list.
/// </summary>
public static class AuditRecordFormat
{
    /// <summary>Current record format version, written as <c>"v"</c>.</summary>
    public const int Version = 1;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        AllowDuplicateProperties = false,
        MaxDepth = 8,
    };

    /// <summary>Length of a formatted time (<c>2026-11-28T12:14:15.123456Z</c>).</summary>
    public const int TimeLength = 27;

    /// <summary>Length of the minute prefix of a formatted time (<c>2026-11-28T12:14</c>).</summary>
    public const int MinuteLength = 16;

    /// <summary>Formats a time the way records store it (UTC, microseconds, trailing Z).</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Formats a time as <see cref="FormatTime"/> does, as UTF-8 into <paramref name="utf8"/> (at least
    /// <see cref="TimeLength"/> bytes); returns the bytes written.</summary>
    public static int FormatTime(DateTimeOffset time, Span<byte> utf8)
    {
        // Digit by digit: runs twice per record on the writer's hot path, where the custom-format parser of
        // DateTime.TryFormat cost about a microsecond each time. AuditRecordFormatTests compares it with FormatTime.
        if (utf8.Length < TimeLength)
        {
            throw new ArgumentException("the time does not fit the record format", nameof(utf8));
        }
        var t = time.UtcDateTime;
        Digits(utf8[..4], t.Year);
        utf8[4] = (byte)'-';
        Digits(utf8.Slice(5, 2), t.Month);
        utf8[7] = (byte)'-';
        Digits(utf8.Slice(8, 2), t.Day);
        utf8[10] = (byte)'T';
        Digits(utf8.Slice(11, 2), t.Hour);
        utf8[13] = (byte)':';
        Digits(utf8.Slice(14, 2), t.Minute);
        utf8[16] = (byte)':';
        Digits(utf8.Slice(17, 2), t.Second);
        utf8[19] = (byte)'.';
        Digits(utf8.Slice(20, 6), (int)(t.Ticks % TimeSpan.TicksPerSecond / (TimeSpan.TicksPerSecond / 1_000_000)));
        utf8[26] = (byte)'Z';
        return TimeLength;
    }

    // Writes value as exactly destination.Length decimal digits, zero-padded (truncating nothing: callers pass widths
    // that fit).
    private static void Digits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }

    /// <summary>Canonical UTF-8 JSON of <paramref name="e"/> at position <paramref name="seq"/>.</summary>
    /// <remarks>
    /// The same bytes <see cref="CanonicalJsonWriter"/> would produce for the record as a tree (keys in ordinal
    /// order, null members left out), written straight to a reused buffer: this runs once per record on the audit
    /// writer's hot path, and building a sorted tree per record cost more than hashing and storing it.
    /// Throws <see cref="ArgumentException"/> for text that is not valid UTF-16.
    /// </remarks>
    public static byte[] Serialize(AuditEvent e, long seq) => SerializeToSharedBuffer(e, seq).ToArray();

    /// <summary>
    /// As <see cref="Serialize"/>, but returns the bytes in a buffer owned by the calling thread, without copying them.
    /// The span is valid only until the next serialization on the same thread.
    /// </summary>
    public static ReadOnlySpan<byte> SerializeToSharedBuffer(AuditEvent e, long seq)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var w = t_writer ??= new Utf8JsonWriter(buffer, CanonicalJsonWriter.WriterOptions);
        w.Reset(buffer);

        // INVARIANT: members are written in ordinal key order; CanonicalRecordTests compares with the tree writer.
        w.WriteStartObject();
        WriteStr(w, "action"u8, e.Action);
        WriteStr(w, "agent"u8, e.Agent);
        WriteNum(w, "bytes"u8, e.Bytes);
        WriteList(w, "chain"u8, e.Chain);
        WriteStr(w, "decision"u8, e.Decision);
        WriteStr(w, "decision_id"u8, e.DecisionId);
        w.WritePropertyName("details"u8);
        w.WriteStartObject();
        if (e.Details.Count > 0)
        {
            WriteDetailsSorted(w, e.Details);
        }
        w.WriteEndObject();
        WriteList(w, "errors"u8, e.Errors);
        WriteStr(w, "kind"u8, e.Kind);
        WriteNum(w, "latency_us"u8, e.LatencyMicros);
        WriteStr(w, "node"u8, e.Node);
        WriteList(w, "policies"u8, e.Policies);
        WriteList(w, "reasons"u8, e.Reasons);
        WriteStr(w, "request_digest"u8, e.RequestDigest);
        WriteStr(w, "resource"u8, e.Resource);
        w.WriteNumber("seq"u8, seq);
        WriteStr(w, "session_id"u8, e.SessionId);
        WriteNum(w, "status"u8, e.Status);
        Span<byte> time = stackalloc byte[TimeLength];
        w.WriteString("time"u8, time[..FormatTime(e.Time, time)]);
        WriteStr(w, "trace_id"u8, e.TraceId);
        WriteStr(w, "user"u8, e.User);
        w.WriteNumber("v"u8, Version);
        w.WriteEndObject();
        w.Flush();
        return buffer.WrittenSpan;
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private static void WriteStr(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteNum(Utf8JsonWriter w, ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static void WriteList(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }
        w.WriteStartArray(name);
        // Indexed, not foreach: enumerating an IReadOnlyList boxes an enumerator per list per record.
        for (var i = 0; i < values.Count; i++)
        {
            w.WriteStringValue(values[i]);
        }
        w.WriteEndArray();
    }

    // Details in ordinal key order, sorted in a per-thread scratch array instead of through LINQ (which allocated a
    // sorter, a key array and an index map per record on the writer's hot path).
    private static void WriteDetailsSorted(Utf8JsonWriter w, IReadOnlyDictionary<string, string> details)
    {
        var scratch = t_details ??= new KeyValuePair<string, string>[16];
        if (scratch.Length < details.Count)
        {
            scratch = t_details = new KeyValuePair<string, string>[details.Count];
        }
        var n = 0;
        // The concrete dictionary (what the recorder builds) enumerates with a struct; the interface would box one.
        if (details is Dictionary<string, string> dictionary)
        {
            foreach (var pair in dictionary)
            {
                scratch[n++] = pair;
            }
        }
        else
        {
            foreach (var pair in details)
            {
                scratch[n++] = pair;
            }
        }
        var pairs = scratch.AsSpan(0, n);
        pairs.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var (k, v) in pairs)
        {
            if (v is not null)
            {
                w.WriteString(k, v);
            }
        }
        pairs.Clear();
    }

    [ThreadStatic]
    private static KeyValuePair<string, string>[]? t_details;

    /// <summary>Reads only <c>seq</c> from a stored record; null when the body is not a record.</summary>
    public static long? ReadSeq(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isSeq = reader.ValueTextEquals("seq"u8);
                reader.Read();
                if (isSeq)
                {
                    return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seq) ? seq : null;
                }
                reader.Skip();
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Parses a stored record back into its seq and event; null when it is not a valid record.</summary>
    public static (long Seq, AuditEvent Event)? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body.ToArray(), ParseOptions);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("seq", out var seqEl) || !seqEl.TryGetInt64(out var seq))
            {
                return null;
            }
            var e = new AuditEvent
            {
                Kind = Str(root, "kind") ?? "",
                DecisionId = Str(root, "decision_id") ?? "",
                Time = DateTimeOffset.TryParse(Str(root, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : default,
                Node = Str(root, "node") ?? "",
                TraceId = Str(root, "trace_id") ?? "",
                SessionId = Str(root, "session_id"),
                Agent = Str(root, "agent"),
                User = Str(root, "user"),
                Chain = List(root, "chain"),
                Action = Str(root, "action"),
                Resource = Str(root, "resource"),
                RequestDigest = Str(root, "request_digest"),
                Decision = Str(root, "decision"),
                Policies = List(root, "policies"),
                Errors = List(root, "errors"),
                Reasons = List(root, "reasons"),
                Status = root.TryGetProperty("status", out var st) && st.TryGetInt32(out var sv) ? sv : null,
                Bytes = root.TryGetProperty("bytes", out var by) && by.TryGetInt64(out var bv) ? bv : null,
                LatencyMicros = root.TryGetProperty("latency_us", out var la) && la.TryGetInt64(out var lv) ? lv : null,
                Details = Map(root, "details"),
            };
            return (seq, e);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // Tampered bodies reach here (e.g. an escaped lone surrogate, a number where text belongs); verify reports them.
            return null;
        }
    }

    /// <summary>Parses a stored record given as text.</summary>
    public static (long Seq, AuditEvent Event)? Parse(string body) => Parse(Encoding.UTF8.GetBytes(body));

    private static string? Str(JsonElement root, string name) =>
        root.TryGetProperty(name, out var el) && el.ValueKind == JsonValueKind.String ? el.GetString() : null;

    private static IReadOnlyList<string> List(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var el) || el.ValueKind != JsonValueKind.Array)
        {
            return [];
        }
        var list = new List<string>(el.GetArrayLength());
        foreach (var item in el.EnumerateArray())
        {
            list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText());
        }
        return list;
    }

    private static IReadOnlyDictionary<string, string> Map(JsonElement root, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty(name, out var el) && el.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in el.EnumerateObject())
            {
                map[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            }
        }
        return map;
    }
}
