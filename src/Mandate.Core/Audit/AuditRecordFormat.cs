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

    /// <summary>Formats a time the way records store it (UTC, microseconds, trailing Z).</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Canonical UTF-8 JSON of <paramref name="e"/> at position <paramref name="seq"/>.</summary>
    public static byte[] Serialize(AuditEvent e, long seq)
    {
        var o = CanonicalJsonWriter.NewObject();
        o["v"] = (long)Version;
        o["seq"] = seq;
        o["kind"] = e.Kind;
        o["decision_id"] = e.DecisionId;
        o["time"] = FormatTime(e.Time);
        o["node"] = e.Node;
        o["trace_id"] = e.TraceId;
        o["session_id"] = e.SessionId;
        o["agent"] = e.Agent;
        o["user"] = e.User;
        o["chain"] = e.Chain;
        o["action"] = e.Action;
        o["resource"] = e.Resource;
        o["request_digest"] = e.RequestDigest;
        o["decision"] = e.Decision;
        o["policies"] = e.Policies;
        o["errors"] = e.Errors;
        o["reasons"] = e.Reasons;
        o["status"] = e.Status is int s ? (long)s : null;
        o["bytes"] = e.Bytes;
        o["latency_us"] = e.LatencyMicros;
        var details = CanonicalJsonWriter.NewObject();
        foreach (var (k, v) in e.Details)
        {
            details[k] = v;
        }
        o["details"] = details;
        return CanonicalJsonWriter.ToUtf8(o);
    }

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
