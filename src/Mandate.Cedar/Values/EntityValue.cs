using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Values;

/// <summary>A reference to an entity (which may or may not exist in the entity store).</summary>
public sealed class EntityValue(EntityUid uid) : Value
{
    /// <summary>The referenced entity's uid.</summary>
    public EntityUid Uid { get; } = uid;

    /// <inheritdoc />
    public override ValueKind Kind => ValueKind.Entity;

    /// <inheritdoc />
    public override string TypeName => "Entity";

    /// <inheritdoc />
    public override bool Equals(Value? other) =>
        other is EntityValue e && (ReferenceEquals(e.Uid, Uid) || e.Uid.Equals(Uid));

    /// <inheritdoc />
    public override int GetHashCode() => Uid.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Uid.ToString();
}
