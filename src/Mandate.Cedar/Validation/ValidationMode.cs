namespace Mandate.Cedar.Validation;

/// <summary>How strictly policies are typechecked.</summary>
public enum ValidationMode
{
    /// <summary>
    /// Cedar's default: no union types (sets and conditionals must be homogeneous, <c>==</c> needs
    /// compatible operands unless it is known to be false), no empty set literals, extension
    /// constructors only on string literals.
    /// </summary>
    Strict,

    /// <summary>Allows unions of entity types, record width subtyping and the forms strict mode forbids.</summary>
    Permissive,
}
