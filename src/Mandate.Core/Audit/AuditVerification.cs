namespace Mandate.Core.Audit;

/// <summary>Result of verifying a log: either ok with counts, or the first problem.</summary>
/// <param name="Records">Records checked.</param>
/// <param name="Checkpoints">Checkpoints whose signatures were checked.</param>
/// <param name="Problem">The first problem, or null when the log is unbroken.</param>
public sealed record AuditVerification(long Records, int Checkpoints, AuditProblem? Problem)
{
    /// <summary>True when no problem was found.</summary>
    public bool Ok => Problem is null;

    /// <summary>Of <see cref="Records"/>, those appended in the power-loss class (a segment log says so per record; 0
    /// for a log that does not).</summary>
    public long PowerLossRecords { get; init; }

    /// <summary>What was verified: <c>segments</c> (the segment log) or <c>sqlite</c> (a format 1 log in audit.db).</summary>
    public string Store { get; init; } = "sqlite";
}
