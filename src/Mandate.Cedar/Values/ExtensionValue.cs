using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Values;

/// <summary>
/// Base of extension values (<c>ipaddr</c>, <c>decimal</c>, <c>datetime</c>, <c>duration</c>).
/// Each is printed as its constructor call, e.g. <c>decimal("1.2300")</c>.
/// </summary>
public abstract class ExtensionValue : Value
{
    private protected ExtensionValue() { }

    /// <inheritdoc />
    public sealed override ValueKind Kind => ValueKind.Extension;

    /// <summary>The name of the constructor that prints this value (<c>ip</c>, <c>decimal</c>, …).</summary>
    public abstract string ConstructorName { get; }

    /// <summary>The constructor argument that rebuilds this value.</summary>
    public abstract string ToArgumentString();

    /// <inheritdoc />
    public sealed override string ToString() =>
        $"{ConstructorName}({CedarString.Quote(ToArgumentString())})";
}
