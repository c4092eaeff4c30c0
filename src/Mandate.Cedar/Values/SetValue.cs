using System.Text;

namespace Mandate.Cedar.Values;

/// <summary>
/// A Cedar set: unordered, no duplicates, structural equality. Elements keep first-seen order
/// for printing. Membership is a linear scan for small sets and a hash lookup for large ones.
/// </summary>
public sealed class SetValue : Value
{
    // Below this size a linear scan beats hashing (and allocates nothing).
    private const int HashThreshold = 8;

    /// <summary>The empty set.</summary>
    public static readonly SetValue Empty = new([], null);

    private readonly Value[] _items;
    private readonly HashSet<Value>? _lookup;
    private int _hash;

    private SetValue(Value[] items, HashSet<Value>? lookup)
    {
        _items = items;
        _lookup = lookup;
    }

    /// <summary>The elements, without duplicates, in first-seen order.</summary>
    public ReadOnlySpan<Value> Items => _items;

    /// <summary>The elements as a list.</summary>
    public IReadOnlyList<Value> Elements => _items;

    /// <summary>The number of distinct elements.</summary>
    public int Count => _items.Length;

    /// <inheritdoc />
    public override ValueKind Kind => ValueKind.Set;

    /// <inheritdoc />
    public override string TypeName => "Set";

    /// <summary>Builds a set from the given elements, dropping duplicates.</summary>
    public static SetValue Create(IEnumerable<Value> elements)
    {
        // Filled straight into the array the set keeps when the count is known (a request context builds a few small
        // sets per decision); an empty source costs nothing.
        if (!elements.TryGetNonEnumeratedCount(out var capacity))
        {
            capacity = 4;
        }
        else if (capacity == 0)
        {
            return Empty;
        }
        var items = new Value[capacity];
        var n = 0;
        HashSet<Value>? seen = null;
        foreach (var e in elements)
        {
            ArgumentNullException.ThrowIfNull(e);
            if (seen is not null ? !seen.Add(e) : ContainsLinear(items.AsSpan(0, n), e)) continue;
            if (n == items.Length) Array.Resize(ref items, n * 2);
            items[n++] = e;
            if (seen is null && n >= HashThreshold)
            {
                seen = new HashSet<Value>(n * 2);
                foreach (var x in items.AsSpan(0, n)) seen.Add(x);
            }
        }
        if (n == 0) return Empty;
        if (n != items.Length) Array.Resize(ref items, n);
        return new SetValue(items, seen);
    }

    private static bool ContainsLinear(ReadOnlySpan<Value> items, Value v)
    {
        foreach (var x in items)
        {
            if (x.Equals(v)) return true;
        }
        return false;
    }

    /// <summary>Whether <paramref name="value"/> is an element.</summary>
    public bool Contains(Value value)
    {
        if (_lookup is not null) return _lookup.Contains(value);
        foreach (var x in _items)
        {
            if (x.Equals(value)) return true;
        }
        return false;
    }

    /// <summary>Whether every element of <paramref name="other"/> is an element of this set.</summary>
    public bool ContainsAll(SetValue other)
    {
        foreach (var x in other._items)
        {
            if (!Contains(x)) return false;
        }
        return true;
    }

    /// <summary>Whether some element of <paramref name="other"/> is an element of this set.</summary>
    public bool ContainsAny(SetValue other)
    {
        // Scan the smaller set, probe the larger.
        var (small, large) = other.Count <= Count ? (other, this) : (this, other);
        foreach (var x in small._items)
        {
            if (large.Contains(x)) return true;
        }
        return false;
    }

    /// <inheritdoc />
    public override bool Equals(Value? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is not SetValue s || s.Count != Count) return false;
        // INVARIANT: both sets are duplicate-free, so equal size + inclusion = equality.
        return ContainsAll(s);
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = _hash;
        if (h != 0) return h;
        // Order-independent: sum of element hashes.
        var sum = 0x5e7;
        foreach (var x in _items) sum = unchecked(sum + x.GetHashCode() * 31);
        if (sum == 0) sum = 1;
        _hash = sum;
        return sum;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder("[");
        for (var i = 0; i < _items.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(_items[i].ToString());
        }
        return sb.Append(']').ToString();
    }
}
