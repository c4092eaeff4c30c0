namespace Mandate.Core.Decisions;

/// <summary>A policy that determined a decision: its <c>@id</c> (or engine id) and its <c>@reason</c> text.</summary>
/// <param name="Id">The policy id shown to callers and written to the audit log.</param>
/// <param name="Reason">The <c>@reason</c> annotation, if the policy has one.</param>
public sealed record PolicyCitation(string Id, string? Reason)
{
    /// <summary>The policy's <c>@step_up</c> annotation (<c>approval</c>: a person's approval of the call can lift its deny), if it has one.</summary>
    public string? StepUp { get; init; }
}
