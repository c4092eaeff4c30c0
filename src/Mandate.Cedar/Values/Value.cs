using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Values;

/// <summary>
/// A Cedar runtime value. Values are immutable and compare structurally: two sets with the same
/// elements are equal whatever their order, two records with the same fields are equal.
/// Construct with the static factories (<see cref="Bool"/>, <see cref="Long"/>, …), which reuse
/// cached instances for booleans and small integers.
/// </summary>
public abstract class Value : IEquatable<Value>
{
    private protected Value() { }

    /// <summary>The runtime type of this value.</summary>
    public abstract ValueKind Kind { get; }

    /// <summary>The Cedar name of this value's type, as used in error messages (<c>Long</c>, <c>Set</c>, <c>decimal</c>…).</summary>
    public abstract string TypeName { get; }

    /// <summary>The cached <c>true</c>.</summary>
    public static BoolValue True => BoolValue.True;

    /// <summary>The cached <c>false</c>.</summary>
    public static BoolValue False => BoolValue.False;

    /// <summary>A boolean value (cached, never allocates).</summary>
    public static BoolValue Bool(bool value) => value ? BoolValue.True : BoolValue.False;

    /// <summary>A 64-bit integer value (cached for small magnitudes).</summary>
    public static LongValue Long(long value) => LongValue.Of(value);

    /// <summary>A string value.</summary>
    public static StringValue String(string value) => new(value);

    /// <summary>An entity reference.</summary>
    public static EntityValue Entity(EntityUid uid) => new(uid);

    /// <summary>An entity reference.</summary>
    public static EntityValue Entity(string type, string id) => new(new EntityUid(type, id));

    /// <summary>A set of the given elements, duplicates removed.</summary>
    public static SetValue Set(IEnumerable<Value> elements) => SetValue.Create(elements);

    /// <summary>A set of the given elements, duplicates removed.</summary>
    public static SetValue Set(params Value[] elements) => SetValue.Create(elements);

    /// <summary>A record of the given fields. Duplicate keys: the last one wins.</summary>
    public static RecordValue Record(IEnumerable<KeyValuePair<string, Value>> fields) => RecordValue.Create(fields);

    /// <summary>A record from fields given inline (a collection expression binds here, without a heap array); the last
    /// value of a repeated key wins.</summary>
    public static RecordValue Record(ReadOnlySpan<KeyValuePair<string, Value>> fields) => RecordValue.Create(fields);

    /// <inheritdoc />
    public abstract bool Equals(Value? other);

    /// <inheritdoc />
    public sealed override bool Equals(object? obj) => obj is Value v && Equals(v);

    /// <inheritdoc />
    public abstract override int GetHashCode();

    /// <summary>The value in Cedar expression syntax (what error messages and the CLI print).</summary>
    public abstract override string ToString();

    /// <summary>Structural equality; <c>==</c> in Cedar.</summary>
    public static bool operator ==(Value? left, Value? right) =>
        ReferenceEquals(left, right) || (left is not null && left.Equals(right));

    /// <summary>Structural inequality.</summary>
    public static bool operator !=(Value? left, Value? right) => !(left == right);
}
