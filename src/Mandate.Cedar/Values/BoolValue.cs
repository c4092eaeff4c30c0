namespace Mandate.Cedar.Values;

/// <summary>A Cedar boolean. Only two instances exist: <see cref="True"/> and <see cref="False"/>.</summary>
public sealed class BoolValue : Value
{
    /// <summary>The one <c>true</c>.</summary>
    public static new readonly BoolValue True = new(true);

    /// <summary>The one <c>false</c>.</summary>
    public static new readonly BoolValue False = new(false);

    private BoolValue(bool value) => Value = value;

    /// <summary>The boolean.</summary>
    public bool Value { get; }

    /// <inheritdoc />
    public override ValueKind Kind => ValueKind.Bool;

    /// <inheritdoc />
    public override string TypeName => "Bool";

    // INVARIANT: two instances only, so reference equality is value equality.
    /// <inheritdoc />
    public override bool Equals(Value? other) => ReferenceEquals(this, other);

    /// <inheritdoc />
    public override int GetHashCode() => Value ? 1 : 2;

    /// <inheritdoc />
    public override string ToString() => Value ? "true" : "false";
}
