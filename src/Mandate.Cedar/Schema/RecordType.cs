using System.Text;
using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Schema;

/// <summary>
/// A record type: named attributes, each required or optional. Attributes are kept sorted by
/// name (ordinal), so equality does not depend on declaration order. Records declared in a
/// schema are closed: a value with an attribute the record does not list does not conform.
/// </summary>
public sealed record RecordType : CedarType
{
    /// <summary>The record with no attributes.</summary>
    public static readonly RecordType Empty = new([]);

    private readonly Dictionary<string, RecordAttribute> _byName; // never mutated

    /// <summary>Creates a record type; attribute names must be unique.</summary>
    public RecordType(IEnumerable<RecordAttribute> attributes)
    {
        var sorted = attributes.OrderBy(a => a.Name, StringComparer.Ordinal).ToArray();
        Attributes = sorted;
        _byName = sorted.ToDictionary(a => a.Name, StringComparer.Ordinal);
    }

    /// <summary>The attributes, sorted by name.</summary>
    public ValueList<RecordAttribute> Attributes { get; }

    /// <summary>The attribute named <paramref name="name"/>, or null.</summary>
    public RecordAttribute? Find(string name) => _byName.GetValueOrDefault(name);

    /// <inheritdoc />
    public bool Equals(RecordType? other) => other is not null && Attributes.Equals(other.Attributes);

    /// <inheritdoc />
    public override int GetHashCode() => Attributes.GetHashCode();

    /// <summary>Cedar's spelling, <c>{a: Long,b?: String,}</c>, as the reference prints it in messages.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("{");
        foreach (var a in Attributes)
        {
            sb.Append(a.Name);
            if (!a.Required) sb.Append('?');
            sb.Append(": ").Append(a.Type).Append(',');
        }
        return sb.Append('}').ToString();
    }
}

/// <summary>One attribute of a record type.</summary>
/// <param name="Name">The attribute name (any string).</param>
/// <param name="Type">Its type.</param>
/// <param name="Required">False for attributes declared with <c>?</c> (or <c>"required": false</c>).</param>
/// <param name="Annotations">Annotations on the attribute declaration.</param>
public sealed record RecordAttribute(string Name, CedarType Type, bool Required = true, ValueList<Annotation> Annotations = default);
