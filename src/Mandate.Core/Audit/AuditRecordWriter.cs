using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Mandate.Core.Audit;

/// <summary>
/// Encodes records in the binary record format (format 2, docs/audit.md) into one growing buffer, the log's batch.
/// Text is interned per block: the first time a string occurs in a block it is written out and numbered; later
/// occurrences write its number (one byte for the first 127). A block starts with a record flagged
/// <see cref="AuditRecordFlags.BlockStart"/>; readers reset their table there, so every block decodes on its own.
/// </summary>
/// <remarks>
/// Not thread-safe: the log's writer owns it. Allocates only when the buffer or the table grows (and the table's
/// entries are the strings the records already hold).
/// </remarks>
public sealed class AuditRecordWriter
{
    /// <summary>The format byte of a binary record.</summary>
    public const byte Format = 2;

    // Strict UTF-8: text that is not valid UTF-16 cannot be stored as written, so it is refused, not replaced.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private const int RecentSlots = 256;

    private readonly Dictionary<string, int> _table = new(StringComparer.Ordinal);
    private readonly List<string> _byId = [];
    // Identity cache in front of the table: most text a record carries is the same string object every time (a route's
    // action, the policy version, the node), and comparing references is cheaper than hashing the text.
    private readonly (string? Text, int Id)[] _recent = new (string?, int)[RecentSlots];
    private byte[] _buffer;
    private int _position;
    private int _maskAt = -1;
    private uint _mask;
    private int _lastField;
    private int _tableAtRecordStart;
    private int _detailsCountAt = -1;
    private int _detailsCount;

    /// <summary>Creates a writer with a buffer of <paramref name="capacity"/> bytes to start with.</summary>
    public AuditRecordWriter(int capacity = 64 * 1024) => _buffer = new byte[Math.Max(256, capacity)];

    /// <summary>Bytes written since the last <see cref="Clear"/>.</summary>
    public int Position => _position;

    /// <summary>The bytes written since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _position);

    /// <summary>The bytes written since the last <see cref="Clear"/>, as memory (for a vectored write).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _position);

    /// <summary>Writable view of bytes already written (to fill in a frame's length, hash and check).</summary>
    public Span<byte> Patch(int offset, int length) => _buffer.AsSpan(offset, length);

    /// <summary>Forgets the bytes written (the intern table stays: it belongs to the block, not the buffer).</summary>
    public void Clear() => _position = 0;

    /// <summary>Starts a new block: forgets every interned string.</summary>
    public void ResetBlock()
    {
        _table.Clear();
        _byId.Clear();
        Array.Clear(_recent);
    }

    /// <summary>Strings interned in the current block.</summary>
    public int Interned => _byId.Count;

    /// <summary>Reserves <paramref name="count"/> bytes (filled in later through <see cref="Patch"/>); returns their offset.</summary>
    public int Skip(int count)
    {
        Ensure(count);
        var at = _position;
        _position += count;
        return at;
    }

    /// <summary>Begins a record at position <paramref name="seq"/>: format byte, flags, seq and the presence mask.</summary>
    public void BeginRecord(long seq, AuditRecordFlags flags)
    {
        if ((flags & AuditRecordFlags.BlockStart) != 0)
        {
            ResetBlock();
        }
        _tableAtRecordStart = _byId.Count;
        Ensure(2 + AuditVarint.MaxBytes + 4);
        _buffer[_position++] = Format;
        _buffer[_position++] = (byte)flags;
        _position += AuditVarint.Write(_buffer.AsSpan(_position), (ulong)seq);
        _maskAt = _position;
        _position += 4;
        _mask = 0;
        _lastField = -1;
    }

    /// <summary>Ends the record: writes its presence mask.</summary>
    public void EndRecord()
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_maskAt, 4), _mask);
        _maskAt = -1;
    }

    /// <summary>Drops a record that failed to encode: its bytes from <paramref name="frameStart"/>, and the strings it
    /// interned.</summary>
    public void CancelRecord(int frameStart)
    {
        _position = frameStart;
        _maskAt = -1;
        _detailsCountAt = -1;
        for (var id = _byId.Count - 1; id >= _tableAtRecordStart; id--)
        {
            _table.Remove(_byId[id]);
            _byId.RemoveAt(id);
        }
        Array.Clear(_recent);
    }

    /// <summary>A text field; nothing when <paramref name="value"/> is null (the field reads as absent).</summary>
    public void Text(AuditField field, string? value)
    {
        if (value is null)
        {
            return;
        }
        Mark(field);
        Intern(value);
    }

    /// <summary>A text field written only when not empty (fields whose absence reads as "").</summary>
    public void TextUnlessEmpty(AuditField field, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Text(field, value);
        }
    }

    /// <summary>The decision id: 16 bytes when it is a lowercase hyphenated UUID (what Mandate issues), else text.</summary>
    public void Id(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        Mark(AuditField.DecisionId);
        Ensure(17);
        if (AuditIds.TryWriteUuid(value, _buffer.AsSpan(_position + 1, 16)))
        {
            _buffer[_position] = 1;
            _position += 17;
            return;
        }
        _buffer[_position++] = 0;
        Intern(value);
    }

    /// <summary>The record's time, to the microsecond.</summary>
    public void Time(DateTimeOffset time)
    {
        Mark(AuditField.Time);
        Varint((ulong)(time.UtcTicks / 10));
    }

    /// <summary>A number field; nothing when null.</summary>
    public void Number(AuditField field, long? value)
    {
        if (value is not { } v)
        {
            return;
        }
        Mark(field);
        Varint(AuditVarint.ZigZag(v));
    }

    /// <summary>A list of text; nothing when empty.</summary>
    public void List(AuditField field, IReadOnlyList<string>? values)
    {
        if (values is null || values.Count == 0)
        {
            return;
        }
        Mark(field);
        Varint((ulong)values.Count);
        // Indexed, not foreach: enumerating an IReadOnlyList boxes an enumerator.
        for (var i = 0; i < values.Count; i++)
        {
            Intern(values[i] ?? "");
        }
    }

    /// <summary>Starts the details; add pairs with <see cref="Detail"/>, then <see cref="EndDetails"/>.</summary>
    public void BeginDetails()
    {
        Ensure(1);
        _detailsCountAt = _position;
        _detailsCount = 0;
        _position++;
    }

    /// <summary>One detail; nothing when the value is null or empty. At most 255 per record.</summary>
    public void Detail(string key, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        if (_detailsCount == byte.MaxValue)
        {
            throw new ArgumentException("a record holds at most 255 details");
        }
        Intern(key);
        Intern(value);
        _detailsCount++;
    }

    /// <summary>Ends the details (the field is left out when none was added).</summary>
    public void EndDetails()
    {
        if (_detailsCount == 0)
        {
            _position = _detailsCountAt;
        }
        else
        {
            // The count sits before the pairs; the field is marked now that it is known to be present (it is the last).
            Mark(AuditField.Details);
            _buffer[_detailsCountAt] = (byte)_detailsCount;
        }
        _detailsCountAt = -1;
    }

    private void Mark(AuditField field)
    {
        var n = (int)field;
        if (n <= _lastField)
        {
            throw new InvalidOperationException($"audit field {field} written out of order");
        }
        _lastField = n;
        _mask |= 1u << n;
    }

    private void Varint(ulong value)
    {
        Ensure(AuditVarint.MaxBytes);
        _position += AuditVarint.Write(_buffer.AsSpan(_position), value);
    }

    private void Intern(string text)
    {
        var slot = RuntimeHelpers.GetHashCode(text) & (RecentSlots - 1);
        ref var recent = ref _recent[slot];
        int id;
        if (ReferenceEquals(recent.Text, text))
        {
            id = recent.Id;
        }
        else if (_table.TryGetValue(text, out id))
        {
            recent = (text, id);
        }
        else
        {
            var length = Utf8.GetByteCount(text);
            Ensure(1 + AuditVarint.MaxBytes + length);
            _buffer[_position++] = 0;
            _position += AuditVarint.Write(_buffer.AsSpan(_position), (ulong)length);
            _position += Utf8.GetBytes(text, _buffer.AsSpan(_position));
            id = _byId.Count;
            _table.Add(text, id);
            _byId.Add(text);
            recent = (text, id);
            return;
        }
        Varint((ulong)id + 1);
    }

    private void Ensure(int more)
    {
        if (_buffer.Length - _position >= more)
        {
            return;
        }
        var grown = new byte[Math.Max(_buffer.Length * 2, _position + more)];
        _buffer.AsSpan(0, _position).CopyTo(grown);
        _buffer = grown;
    }
}
