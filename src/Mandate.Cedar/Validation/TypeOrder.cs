using System.Text;

namespace Mandate.Cedar.Validation;

/// <summary>
/// The order Cedar lists types in when it reports incompatible types, so messages read the
/// same as the reference's: never, True, False, Bool, Long, String, sets, records, entities,
/// extension types; records by their attributes, names by UTF-8 bytes.
/// </summary>
internal sealed class TypeOrder : IComparer<TcType>
{
    public static readonly TypeOrder Instance = new();

    public int Compare(TcType? x, TcType? y)
    {
        if (x is null || y is null) return (x is null ? 0 : 1) - (y is null ? 0 : 1);
        var rank = Rank(x).CompareTo(Rank(y));
        if (rank != 0) return rank;
        switch (x, y)
        {
            case (TcSet a, TcSet b):
                if (a.Element is null || b.Element is null) return (a.Element is null ? 0 : 1) - (b.Element is null ? 0 : 1);
                return Compare(a.Element, b.Element);
            case (TcRecord a, TcRecord b):
                {
                    using var ea = a.Attributes.GetEnumerator();
                    using var eb = b.Attributes.GetEnumerator();
                    while (true)
                    {
                        var hasA = ea.MoveNext();
                        var hasB = eb.MoveNext();
                        if (!hasA || !hasB)
                        {
                            if (hasA != hasB) return hasA ? 1 : -1;
                            return a.Open.CompareTo(b.Open);
                        }
                        var c = Utf8(ea.Current.Key, eb.Current.Key);
                        if (c != 0) return c;
                        c = Compare(ea.Current.Value.Type, eb.Current.Value.Type);
                        if (c != 0) return c;
                        c = ea.Current.Value.Required.CompareTo(eb.Current.Value.Required);
                        if (c != 0) return c;
                    }
                }
            case (TcEntity a, TcEntity b):
                {
                    var n = Math.Min(a.Types.Count, b.Types.Count);
                    for (var i = 0; i < n; i++)
                    {
                        var c = Utf8(a.Types[i], b.Types[i]);
                        if (c != 0) return c;
                    }
                    return a.Types.Count.CompareTo(b.Types.Count);
                }
            case (TcPrim a, TcPrim b):
                return Utf8(a.Name, b.Name);
            default:
                return 0;
        }
    }

    private static int Rank(TcType t) => t switch
    {
        TcBool { Kind: BoolKind.True } => 1,
        TcBool { Kind: BoolKind.False } => 2,
        TcBool => 3,
        TcPrim { Name: "Long" } => 4,
        TcPrim { Name: "String" } => 5,
        TcSet => 6,
        TcRecord => 7,
        TcEntity => 8,
        _ => 9,
    };

    /// <summary>Byte order of the UTF-8 encodings (= code point order).</summary>
    private static int Utf8(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal)) return 0;
        return Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));
    }
}
