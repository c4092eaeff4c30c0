using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Schema;

/// <summary>An action declared in a schema.</summary>
/// <param name="Uid">The action entity, e.g. <c>Mandate::Action::"read"</c>.</param>
/// <param name="MemberOf">The action groups it is directly in.</param>
/// <param name="AppliesTo">
/// Which principals and resources it applies to, with its context type. A declaration without
/// <c>appliesTo</c> gets empty lists here: in Cedar 4 such an action applies to no request
/// (the JSON format writes it as <c>"appliesTo": {"principalTypes": [], "resourceTypes": []}</c>).
/// </param>
/// <param name="Annotations">Annotations on the declaration.</param>
public sealed record ActionDefinition(
    EntityUid Uid,
    ValueList<EntityUid> MemberOf,
    AppliesTo AppliesTo,
    ValueList<Annotation> Annotations = default);

/// <summary>The <c>appliesTo</c> of an action.</summary>
/// <param name="PrincipalTypes">Entity types a principal may have (an empty list: none).</param>
/// <param name="ResourceTypes">Entity types a resource may have (an empty list: none).</param>
/// <param name="Context">The context record type (empty record when not declared).</param>
public sealed record AppliesTo(ValueList<string> PrincipalTypes, ValueList<string> ResourceTypes, RecordType Context)
{
    /// <summary>Applies to nothing (an action declared without <c>appliesTo</c>).</summary>
    public static readonly AppliesTo Nothing = new(ValueList<string>.Empty, ValueList<string>.Empty, RecordType.Empty);
}
