namespace Mandate.Core.Audit;

/// <summary>
/// Filters for reading the log. All set filters must match. Results come in ascending <c>seq</c> order.
/// </summary>
public sealed record AuditQuery
{
    /// <summary>Only records of this agent.</summary>
    public string? Agent { get; init; }
    /// <summary>Only records of this session.</summary>
    public string? Session { get; init; }
    /// <summary>Only records at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }
    /// <summary>Only records before this time.</summary>
    public DateTimeOffset? Until { get; init; }
    /// <summary>Only records with this decision (<c>allow</c>, <c>deny</c>, <c>error</c>).</summary>
    public string? Decision { get; init; }
    /// <summary>Only records of this kind.</summary>
    public string? Kind { get; init; }
    /// <summary>Only records with <c>seq</c> greater than this (tailing). Default 0 = from the start.</summary>
    public long AfterSeq { get; init; }
    /// <summary>At most this many records; null = no limit.</summary>
    public int? Limit { get; init; }
}
