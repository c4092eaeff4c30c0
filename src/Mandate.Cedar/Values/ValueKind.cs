namespace Mandate.Cedar.Values;

/// <summary>The runtime type of a Cedar value.</summary>
public enum ValueKind
{
    /// <summary><c>true</c> / <c>false</c>.</summary>
    Bool,
    /// <summary>A signed 64-bit integer.</summary>
    Long,
    /// <summary>A string.</summary>
    String,
    /// <summary>An entity reference.</summary>
    Entity,
    /// <summary>A set of values.</summary>
    Set,
    /// <summary>A record of named values.</summary>
    Record,
    /// <summary>An extension value (ipaddr, decimal, datetime, duration).</summary>
    Extension,
}
