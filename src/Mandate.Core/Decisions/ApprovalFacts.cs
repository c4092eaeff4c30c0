namespace Mandate.Core.Decisions;

/// <summary>
/// A person's approval of this very call (Cedar <c>context.approval</c>). Always present, so a policy's
/// <c>unless { context.approval.granted }</c> reads <c>false</c> rather than erroring (an erroring condition would
/// make the forbid not apply: fail open).
/// </summary>
/// <param name="Granted">True only when an approval bound to exactly this call was granted and is being used now.</param>
/// <param name="By">Who approved; empty when none.</param>
/// <param name="Id">The approval's id; empty when none.</param>
/// <param name="At">When it was approved; the epoch when none.</param>
public sealed record ApprovalFacts(bool Granted, string By, string Id, DateTimeOffset At)
{
    /// <summary>No approval.</summary>
    public static ApprovalFacts None { get; } = new(false, "", "", DateTimeOffset.UnixEpoch);
}
