using System.Text;

namespace Mandate.Cedar.Ast;

/// <summary>
/// An entity's identity: its type name (with namespaces, e.g. <c>Mandate::Agent</c>) and its id.
/// </summary>
public sealed record EntityUid(string Type, string Id)
{
    // Uids are hash keys on every authorization decision (entity store, ancestor sets, policy
    // index), so the hash is computed once per instance. INVARIANT: equality is still exactly
    // Type and Id (ordinal); the cache only short-cuts hashing.
    private int _hash;

    // `with` goes through the copy constructor: copy the components, never the cached hash.
    private EntityUid(EntityUid original)
    {
        Type = original.Type;
        Id = original.Id;
    }

    /// <summary>Equal when type and id are equal (ordinal).</summary>
    public bool Equals(EntityUid? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && (_hash == 0 || other._hash == 0 || _hash == other._hash)
            && string.Equals(Id, other.Id, StringComparison.Ordinal)
            && string.Equals(Type, other.Type, StringComparison.Ordinal));

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = _hash;
        if (h == 0)
        {
            h = HashCode.Combine(StringComparer.Ordinal.GetHashCode(Type), StringComparer.Ordinal.GetHashCode(Id));
            if (h == 0) h = 1;
            _hash = h;
        }
        return h;
    }

    /// <summary>Cedar text form: <c>Type::"id"</c>, with the id escaped as a Cedar string.</summary>
    public override string ToString() => $"{Type}::{CedarString.Quote(Id)}";
}

/// <summary>Cedar string literal quoting, shared by the printer and error messages.</summary>
public static class CedarString
{
    /// <summary>Quotes and escapes <paramref name="value"/> as a Cedar string literal.</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    if (rune.Value < 0x20 || rune.Value == 0x7f) sb.Append($"\\u{{{rune.Value:x}}}");
                    else sb.Append(rune.ToString());
                    break;
            }
        }
        sb.Append('"');
        return sb.ToString();
    }
}
