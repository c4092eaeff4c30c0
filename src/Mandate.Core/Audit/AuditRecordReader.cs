using System.Buffers.Binary;
using System.Text;

namespace Mandate.Core.Audit;

/// <summary>
/// Decodes stored records: binary (format 2, <see cref="AuditRecordWriter"/>) and the JSON records of format 1
/// (<see cref="AuditRecordFormat"/>, logs from before the segment log). Keeps the block's intern table, so records
/// must be read in log order from a block start on. Never throws on malformed bytes: a record that does not decode is
/// null, which the verifier reports.
/// </summary>
public sealed class AuditRecordReader
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly List<string> _table = [];
    private readonly Fields _fields = new();
    private readonly bool _skim;
    private int _defined;

    /// <summary>A reader; with <paramref name="skim"/> it checks records without building their text (what the verifier
    /// needs: every byte accounted for, every text valid UTF-8, every reference to a defined text), so summaries it
    /// returns carry no text.</summary>
    public AuditRecordReader(bool skim = false) => _skim = skim;

    /// <summary>The seq of the record in <paramref name="payload"/> (binary or JSON), read without decoding the rest;
    /// null when there is none.</summary>
    public static long? ReadSeq(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > 2 && payload[0] == AuditRecordWriter.Format)
        {
            var at = 2;
            return AuditVarint.TryRead(payload, ref at, out var seq) && seq <= long.MaxValue ? (long)seq : null;
        }
        return payload.Length > 0 && payload[0] == (byte)'{' ? AuditRecordFormat.ReadSeq(payload) : null;
    }

    /// <summary>Forgets the intern table (the log's reader calls it where a segment starts).</summary>
    public void Reset()
    {
        _table.Clear();
        _defined = 0;
    }

    /// <summary>The summary of the record in <paramref name="payload"/>; null when it is not a valid record.</summary>
    public AuditRecordSummary? ReadSummary(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return null;
        }
        if (payload[0] == (byte)'{')
        {
            return AuditRecordFormat.Parse(payload) is { } json
                ? new AuditRecordSummary(json.Seq, json.Event.Kind, json.Event.Time, json.Event.Agent, json.Event.SessionId, json.Event.Decision, AuditRecordFlags.None)
                : null;
        }
        var f = _fields;
        if (!Decode(payload, f, full: false))
        {
            return null;
        }
        return new AuditRecordSummary(f.Seq, f.Text[(int)AuditField.Kind] ?? "", f.Time, f.Text[(int)AuditField.Agent],
            f.Text[(int)AuditField.SessionId], f.Text[(int)AuditField.Decision], f.Flags);
    }

    /// <summary>The record in <paramref name="payload"/> as an event, with its seq and flags; null when it is not a
    /// valid record.</summary>
    public (long Seq, AuditEvent Event, AuditRecordFlags Flags)? ReadEvent(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return null;
        }
        if (payload[0] == (byte)'{')
        {
            return AuditRecordFormat.Parse(payload) is { } json ? (json.Seq, json.Event, AuditRecordFlags.None) : null;
        }
        var f = _fields;
        if (!Decode(payload, f, full: true))
        {
            return null;
        }
        string? T(AuditField field) => f.Text[(int)field];
        var ev = new AuditEvent
        {
            Kind = T(AuditField.Kind) ?? "",
            DecisionId = T(AuditField.DecisionId) ?? "",
            Time = f.Time,
            Node = T(AuditField.Node) ?? "",
            TraceId = T(AuditField.TraceId) ?? "",
            SessionId = T(AuditField.SessionId),
            Agent = T(AuditField.Agent),
            User = T(AuditField.User),
            Chain = f.Lists[(int)AuditField.Chain] ?? [],
            Action = T(AuditField.Action),
            Resource = T(AuditField.Resource),
            RequestDigest = T(AuditField.RequestDigest),
            Decision = T(AuditField.Decision),
            Policies = f.Lists[(int)AuditField.Policies] ?? [],
            Errors = f.Lists[(int)AuditField.Errors] ?? [],
            Reasons = f.Lists[(int)AuditField.Reasons] ?? [],
            Status = f.Numbers[(int)AuditField.Status] is { } s ? (int)s : null,
            Bytes = f.Numbers[(int)AuditField.Bytes],
            LatencyMicros = f.Numbers[(int)AuditField.LatencyMicros],
            Details = f.Details ?? new Dictionary<string, string>(),
        };
        return (f.Seq, ev, f.Flags);
    }

    private bool Decode(ReadOnlySpan<byte> p, Fields f, bool full)
    {
        f.Clear();
        if (p.Length < 2 || p[0] != AuditRecordWriter.Format)
        {
            return false;
        }
        f.Flags = (AuditRecordFlags)p[1];
        if ((f.Flags & AuditRecordFlags.BlockStart) != 0)
        {
            Reset();
        }
        var at = 2;
        if (!AuditVarint.TryRead(p, ref at, out var seq) || seq > long.MaxValue || at + 4 > p.Length)
        {
            return false;
        }
        f.Seq = (long)seq;
        var mask = BinaryPrimitives.ReadUInt32LittleEndian(p.Slice(at, 4));
        at += 4;
        if ((mask & 1) == 0 || (mask >> ((int)AuditField.Details + 1)) != 0)
        {
            return false; // no kind, or a field this reader does not know: not a record it can vouch for
        }
        for (var n = 0; n <= (int)AuditField.Details; n++)
        {
            if ((mask & (1u << n)) != 0 && !Field(p, ref at, (AuditField)n, f, full))
            {
                return false;
            }
        }
        return at == p.Length;
    }

    private bool Field(ReadOnlySpan<byte> p, ref int at, AuditField field, Fields f, bool full)
    {
        switch (field)
        {
            case AuditField.DecisionId:
                if (at >= p.Length)
                {
                    return false;
                }
                if (p[at] == 1)
                {
                    if (at + 17 > p.Length)
                    {
                        return false;
                    }
                    f.Text[(int)field] = full ? AuditIds.FormatUuid(p.Slice(at + 1, 16)) : null;
                    at += 17;
                    return true;
                }
                return p[at++] == 0 && Text(p, ref at, out f.Text[(int)field]);
            case AuditField.Time:
                if (!AuditVarint.TryRead(p, ref at, out var micros) || micros > (ulong)(DateTimeOffset.MaxValue.UtcTicks / 10))
                {
                    return false;
                }
                f.Time = new DateTimeOffset((long)micros * 10, TimeSpan.Zero);
                return true;
            case AuditField.Chain or AuditField.Policies or AuditField.Errors or AuditField.Reasons:
                return List(p, ref at, full ? f.Lists : null, (int)field);
            case AuditField.Status or AuditField.Bytes or AuditField.LatencyMicros:
                if (!AuditVarint.TryRead(p, ref at, out var raw))
                {
                    return false;
                }
                f.Numbers[(int)field] = AuditVarint.UnZigZag(raw);
                return true;
            case AuditField.Details:
                return Details(p, ref at, f, full);
            default:
                return Text(p, ref at, out f.Text[(int)field]);
        }
    }

    private bool List(ReadOnlySpan<byte> p, ref int at, List<string>?[]? lists, int slot)
    {
        if (!AuditVarint.TryRead(p, ref at, out var count) || count > (ulong)p.Length)
        {
            return false;
        }
        var list = lists is null ? null : new List<string>((int)count);
        for (var i = 0UL; i < count; i++)
        {
            if (!Text(p, ref at, out var item))
            {
                return false;
            }
            list?.Add(item!);
        }
        if (lists is not null)
        {
            lists[slot] = list;
        }
        return true;
    }

    private bool Details(ReadOnlySpan<byte> p, ref int at, Fields f, bool full)
    {
        if (at >= p.Length || p[at] == 0)
        {
            return false;
        }
        int count = p[at++];
        var map = full ? new Dictionary<string, string>(count, StringComparer.Ordinal) : null;
        for (var i = 0; i < count; i++)
        {
            if (!Text(p, ref at, out var key) || !Text(p, ref at, out var value))
            {
                return false;
            }
            if (map is not null && !map.TryAdd(key!, value!))
            {
                return false; // a key twice: the record was not written by the log
            }
        }
        f.Details = map;
        return true;
    }

    private bool Text(ReadOnlySpan<byte> p, ref int at, out string? text)
    {
        text = null;
        if (!AuditVarint.TryRead(p, ref at, out var tag))
        {
            return false;
        }
        if (tag != 0)
        {
            if (tag > (ulong)_defined)
            {
                return false;
            }
            text = _skim ? null : _table[(int)tag - 1];
            return true;
        }
        if (!AuditVarint.TryRead(p, ref at, out var length) || length > (ulong)(p.Length - at))
        {
            return false;
        }
        if (_skim)
        {
            if (!System.Text.Unicode.Utf8.IsValid(p.Slice(at, (int)length)))
            {
                return false;
            }
            at += (int)length;
            _defined++;
            return true;
        }
        try
        {
            text = Utf8.GetString(p.Slice(at, (int)length));
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        at += (int)length;
        _table.Add(text);
        _defined++;
        return true;
    }

    // Scratch for one record's fields, reused across records (the reader is single-threaded).
    private sealed class Fields
    {
        public readonly string?[] Text = new string?[(int)AuditField.Details + 1];
        public readonly List<string>?[] Lists = new List<string>?[(int)AuditField.Details + 1];
        public readonly long?[] Numbers = new long?[(int)AuditField.Details + 1];
        public long Seq;
        public DateTimeOffset Time;
        public AuditRecordFlags Flags;
        public Dictionary<string, string>? Details;

        public void Clear()
        {
            Array.Clear(Text);
            Array.Clear(Lists);
            Array.Clear(Numbers);
            Seq = 0;
            Time = default;
            Flags = AuditRecordFlags.None;
            Details = null;
        }
    }
}
