using Mandate.Cedar.Ast;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Entities;

/// <summary>
/// One entity: its uid, attributes, direct parents and tags. Immutable. Ancestors (the
/// transitive closure of parents) are computed by <see cref="EntityStore"/>, not here.
/// </summary>
public sealed class Entity
{
    /// <summary>Creates an entity.</summary>
    /// <param name="uid">The entity's identity.</param>
    /// <param name="attributes">Its attributes; null means none.</param>
    /// <param name="parents">Its direct parents; null means none.</param>
    /// <param name="tags">Its tags; null means none.</param>
    public Entity(EntityUid uid, RecordValue? attributes = null, IEnumerable<EntityUid>? parents = null, RecordValue? tags = null)
    {
        Uid = uid ?? throw new ArgumentNullException(nameof(uid));
        Attributes = attributes ?? RecordValue.Empty;
        Parents = parents is null ? [] : [.. parents.Distinct()];
        Tags = tags ?? RecordValue.Empty;
    }

    /// <summary>The entity's identity.</summary>
    public EntityUid Uid { get; }

    /// <summary>Attributes (<c>e.attr</c>, <c>e has attr</c>).</summary>
    public RecordValue Attributes { get; }

    /// <summary>Direct parents, without duplicates.</summary>
    public IReadOnlyList<EntityUid> Parents { get; }

    /// <summary>Tags (<c>e.getTag(k)</c>, <c>e.hasTag(k)</c>).</summary>
    public RecordValue Tags { get; }
}
