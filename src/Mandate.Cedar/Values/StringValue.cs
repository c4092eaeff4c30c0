using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Values;

/// <summary>A Cedar string.</summary>
public sealed class StringValue(string value) : Value
{
    /// <summary>The empty string.</summary>
    public static readonly StringValue Empty = new("");

    /// <summary>The text (unescaped).</summary>
    public string Value { get; } = value;

    /// <inheritdoc />
    public override ValueKind Kind => ValueKind.String;

    /// <inheritdoc />
    public override string TypeName => "String";

    /// <inheritdoc />
    public override bool Equals(Value? other) =>
        other is StringValue s && string.Equals(s.Value, Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => CedarString.Quote(Value);
}
