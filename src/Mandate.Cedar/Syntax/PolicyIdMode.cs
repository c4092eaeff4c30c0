namespace Mandate.Cedar.Syntax;

/// <summary>How the parser names the policies of a policy set.</summary>
public enum PolicyIdMode
{
    /// <summary>
    /// <c>policy0</c>, <c>policy1</c>, … in source order across all files, counting templates and
    /// static policies together (what Cedar's own parser and the conformance corpus do).
    /// </summary>
    Positional,

    /// <summary>
    /// The value of the <c>@id("…")</c> annotation when present, else the positional id.
    /// Used by the server for folders of policy files. Duplicate ids are an error.
    /// </summary>
    AnnotationOrPositional,
}
