namespace Mandate.Server.Lifecycle.Report;

/// <summary>Where a control stands in a configuration.</summary>
public enum ControlStatus
{
    /// <summary>Configured and without gaps.</summary>
    InForce,

    /// <summary>Configured, with gaps named.</summary>
    Partial,

    /// <summary>Could be configured and is not: a gap.</summary>
    Missing,

    /// <summary>An optional control this deployment does not need (say, no legacy key to vault); not a gap.</summary>
    NotUsed,

    /// <summary>Mandate does not have it yet.</summary>
    NotBuilt,
}

/// <summary>
/// One control as a configuration has it: its status, the facts that show it, its gaps, the routes, tools and servers
/// reported under it, and counts from the audit log over the report's window.
/// </summary>
public sealed record ControlAssessment(
    ControlStatus Status,
    IReadOnlyList<string> Facts,
    IReadOnlyList<string> Gaps,
    IReadOnlyList<string> Subjects,
    IReadOnlyDictionary<string, long> Evidence)
{
    /// <summary>The text form used in every output (<c>in-force</c>, <c>partial</c>, …).</summary>
    public static string Name(ControlStatus status) => status switch
    {
        ControlStatus.InForce => "in-force",
        ControlStatus.Partial => "partial",
        ControlStatus.Missing => "missing",
        ControlStatus.NotUsed => "not-used",
        _ => "not-built",
    };
}
