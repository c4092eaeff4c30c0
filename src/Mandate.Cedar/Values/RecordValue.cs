using System.Text;
using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Values;

/// <summary>
/// A Cedar record: named fields, structural equality, field order irrelevant. Printed with keys
/// in ordinal order (as Cedar does).
/// </summary>
public sealed class RecordValue : Value
{
    /// <summary>The empty record.</summary>
    public static readonly RecordValue Empty = new(new Dictionary<string, Value>(0, StringComparer.Ordinal));

    private readonly Dictionary<string, Value> _fields;
    private int _hash;

    private RecordValue(Dictionary<string, Value> fields) => _fields = fields;

    /// <summary>The number of fields.</summary>
    public int Count => _fields.Count;

    /// <summary>The fields (unordered).</summary>
    public IReadOnlyDictionary<string, Value> Fields => _fields;

    /// <summary>The field names in ordinal order.</summary>
    public IEnumerable<string> Keys => _fields.Keys.Order(StringComparer.Ordinal);

    /// <inheritdoc />
    public override ValueKind Kind => ValueKind.Record;

    /// <inheritdoc />
    public override string TypeName => "Record";

    /// <summary>Builds a record; for a repeated key the last value wins.</summary>
    public static RecordValue Create(IEnumerable<KeyValuePair<string, Value>> fields)
    {
        // Sized up front when the count is known: a request context builds several small records, and each regrowth
        // of a dictionary is two more arrays.
        var dict = fields.TryGetNonEnumeratedCount(out var count)
            ? new Dictionary<string, Value>(count, StringComparer.Ordinal)
            : new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var (k, v) in fields)
        {
            ArgumentNullException.ThrowIfNull(v);
            dict[k] = v;
        }
        return dict.Count == 0 ? Empty : new RecordValue(dict);
    }

    /// <summary>Builds a record from fields on the stack (a collection expression); for a repeated key the last value wins.</summary>
    public static RecordValue Create(ReadOnlySpan<KeyValuePair<string, Value>> fields)
    {
        var dict = new Dictionary<string, Value>(fields.Length, StringComparer.Ordinal);
        foreach (var (k, v) in fields)
        {
            ArgumentNullException.ThrowIfNull(v);
            dict[k] = v;
        }
        return dict.Count == 0 ? Empty : new RecordValue(dict);
    }

    /// <summary>Wraps a dictionary the caller hands over and will not mutate again.</summary>
    internal static RecordValue Adopt(Dictionary<string, Value> fields) =>
        fields.Count == 0 ? Empty : new RecordValue(fields);

    /// <summary>The value of field <paramref name="key"/>, if present.</summary>
    public bool TryGet(string key, out Value value) => _fields.TryGetValue(key, out value!);

    /// <summary>Whether field <paramref name="key"/> is present.</summary>
    public bool Has(string key) => _fields.ContainsKey(key);

    /// <inheritdoc />
    public override bool Equals(Value? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is not RecordValue r || r.Count != Count) return false;
        foreach (var (k, v) in _fields)
        {
            if (!r._fields.TryGetValue(k, out var ov) || !v.Equals(ov)) return false;
        }
        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = _hash;
        if (h != 0) return h;
        var sum = 0x4ec;
        foreach (var (k, v) in _fields)
        {
            sum = unchecked(sum + HashCode.Combine(StringComparer.Ordinal.GetHashCode(k), v.GetHashCode()));
        }
        if (sum == 0) sum = 1;
        _hash = sum;
        return sum;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder("{");
        var first = true;
        foreach (var k in Keys)
        {
            if (!first) sb.Append(", ");
            first = false;
            sb.Append(CedarString.Quote(k)).Append(": ").Append(_fields[k].ToString());
        }
        return sb.Append('}').ToString();
    }
}
