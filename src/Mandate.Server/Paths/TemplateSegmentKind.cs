namespace Mandate.Server.Paths;

/// <summary>Kinds of template segment, in order of precedence (a literal beats a parameter beats a catch-all).</summary>
public enum TemplateSegmentKind
{
    /// <summary>Matches exactly this text.</summary>
    Literal = 0,

    /// <summary>Matches any one non-empty segment.</summary>
    Parameter = 1,

    /// <summary>Matches one or more remaining segments; only last.</summary>
    CatchAll = 2,
}
