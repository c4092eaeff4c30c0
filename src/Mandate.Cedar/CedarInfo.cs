namespace Mandate.Cedar;

/// <summary>Facts about this Cedar implementation.</summary>
public static class CedarInfo
{
    /// <summary>The Cedar language version whose semantics this engine follows.</summary>
    public const string LanguageVersion = "4.x";
}
