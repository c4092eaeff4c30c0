namespace Mandate.Core.Approvals;

/// <summary>
/// A request for a person's approval of one exact call, bound by <see cref="Digest"/> to who asked, for whom, in which
/// session, through which front, what action on what resource with which arguments, under which policy version. The
/// facts are kept so an approver sees the call, not a summary of it.
/// </summary>
public sealed record ApprovalRequest
{
    /// <summary>The approval id (random, unguessable; also in the step-up answer).</summary>
    public required string Id { get; init; }

    /// <summary>SHA-256 (hex) over the bound facts (<see cref="ApprovalDigest"/>).</summary>
    public required string Digest { get; init; }

    /// <summary>Where it is in its life.</summary>
    public required ApprovalStatus Status { get; init; }

    /// <summary>When it was asked for.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it stops being usable, decided or not.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The decision id of the call that asked (its step-up record).</summary>
    public required string DecisionId { get; init; }

    /// <summary>The calling agent.</summary>
    public required string Agent { get; init; }

    /// <summary>The user the agent acts for, if any.</summary>
    public string? User { get; init; }

    /// <summary>The task session, if any.</summary>
    public string? Session { get; init; }

    /// <summary>The delegation chain, outermost first.</summary>
    public IReadOnlyList<string> Chain { get; init; } = [];

    /// <summary>The front the call came through (<c>http</c>, <c>mcp</c>, …).</summary>
    public required string Front { get; init; }

    /// <summary>The Cedar action.</summary>
    public required string Action { get; init; }

    /// <summary>The resource entity.</summary>
    public required string Resource { get; init; }

    /// <summary>The call's method and canonical path (what a person reads first).</summary>
    public required string Target { get; init; }

    /// <summary>The call's arguments as canonical JSON (<c>{}</c> when it has none).</summary>
    public required string Arguments { get; init; }

    /// <summary>The policies that asked for approval.</summary>
    public IReadOnlyList<string> Policies { get; init; } = [];

    /// <summary>Their <c>@reason</c> texts.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>The policy set version the call was decided under (an approval does not outlive it).</summary>
    public required string PolicyVersion { get; init; }

    /// <summary>Who approved or denied it.</summary>
    public string? DecidedBy { get; init; }

    /// <summary>When it was approved or denied.</summary>
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>The approver's comment.</summary>
    public string? Comment { get; init; }

    /// <summary>When the call it was granted for used it.</summary>
    public DateTimeOffset? ConsumedAt { get; init; }

    /// <summary>True while it can still change: pending, or approved and unused, and not past its expiry.</summary>
    public bool IsOpen(DateTimeOffset now) => Status is ApprovalStatus.Pending or ApprovalStatus.Approved && now < ExpiresAt;
}
