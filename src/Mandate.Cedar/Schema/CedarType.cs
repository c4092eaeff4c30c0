namespace Mandate.Cedar.Schema;

/// <summary>
/// A type as the schema declares it: the shape of attributes, context, tags and the element
/// type of sets. Records compare structurally, so two schemas that say the same thing in the
/// human and the JSON format produce equal types. Common types are already inlined.
/// </summary>
public abstract record CedarType
{
    private protected CedarType() { }

    /// <summary>The Cedar spelling of this type, as used in error messages.</summary>
    public abstract override string ToString();
}

/// <summary>Cedar's <c>Bool</c>.</summary>
public sealed record BoolType : CedarType
{
    /// <summary>The one instance.</summary>
    public static readonly BoolType Instance = new();

    /// <inheritdoc />
    public override string ToString() => "Bool";
}

/// <summary>Cedar's <c>Long</c> (64-bit signed integer).</summary>
public sealed record LongType : CedarType
{
    /// <summary>The one instance.</summary>
    public static readonly LongType Instance = new();

    /// <inheritdoc />
    public override string ToString() => "Long";
}

/// <summary>Cedar's <c>String</c>.</summary>
public sealed record StringType : CedarType
{
    /// <summary>The one instance.</summary>
    public static readonly StringType Instance = new();

    /// <inheritdoc />
    public override string ToString() => "String";
}

/// <summary><c>Set&lt;Element&gt;</c>.</summary>
public sealed record SetType(CedarType Element) : CedarType
{
    /// <inheritdoc />
    public override string ToString() => $"Set<{Element}>";
}

/// <summary>An entity of the named (fully qualified) entity type, e.g. <c>Mandate::Agent</c>.</summary>
public sealed record EntityType(string Name) : CedarType
{
    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// An extension type: <c>ipaddr</c>, <c>decimal</c>, <c>datetime</c> or <c>duration</c>
/// (see <see cref="ExtensionTypes"/>).
/// </summary>
public sealed record ExtensionType(string Name) : CedarType
{
    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>The extension type names Cedar 4.x defines, and their shared instances.</summary>
public static class ExtensionTypes
{
    /// <summary><c>ipaddr</c>: IPv4/IPv6 address or CIDR range.</summary>
    public static readonly ExtensionType IpAddr = new("ipaddr");

    /// <summary><c>decimal</c>: fixed point with four decimal places.</summary>
    public static readonly ExtensionType Decimal = new("decimal");

    /// <summary><c>datetime</c>: an instant, milliseconds since the epoch.</summary>
    public static readonly ExtensionType Datetime = new("datetime");

    /// <summary><c>duration</c>: a signed span, in milliseconds.</summary>
    public static readonly ExtensionType Duration = new("duration");

    /// <summary>The extension type with this name, or null when Cedar has none.</summary>
    public static ExtensionType? Find(string name) => name switch
    {
        "ipaddr" => IpAddr,
        "decimal" => Decimal,
        "datetime" => Datetime,
        "duration" => Duration,
        _ => null,
    };
}
