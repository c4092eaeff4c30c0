using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Schema;

/// <summary>
/// An entity type declared in a schema. Names are fully qualified
/// (<c>Namespace::Name</c>, or just <c>Name</c> in the empty namespace).
/// </summary>
/// <param name="Name">Fully qualified type name.</param>
/// <param name="MemberOfTypes">The entity types an entity of this type may have as direct parents.</param>
/// <param name="Shape">The attributes (a closed record; empty when none are declared).</param>
/// <param name="Tags">The type of every tag value, or null when entities of this type have no tags.</param>
/// <param name="EnumValues">For an enumerated entity type (<c>entity E enum ["a", "b"]</c>), the only valid ids; null otherwise.</param>
/// <param name="Annotations">Annotations on the declaration.</param>
public sealed record EntityTypeDefinition(
    string Name,
    ValueList<string> MemberOfTypes,
    RecordType Shape,
    CedarType? Tags = null,
    ValueList<string>? EnumValues = null,
    ValueList<Annotation> Annotations = default)
{
    /// <summary>Whether this is an enumerated entity type.</summary>
    public bool IsEnum => EnumValues is not null;
}
