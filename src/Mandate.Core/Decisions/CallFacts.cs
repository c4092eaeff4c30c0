namespace Mandate.Core.Decisions;

/// <summary>Facts about the call itself (Cedar <c>context.call</c>), from the configuration of its route or tool.</summary>
/// <param name="Labels">The call's data labels: its route's or tool's, and its resource's <c>labels</c> attribute.</param>
/// <param name="Write">Whether the call counts as a write (a session's <c>writes</c> counts the allowed ones).</param>
public sealed record CallFacts(IReadOnlyList<string> Labels, bool Write)
{
    /// <summary>A read without labels.</summary>
    public static CallFacts None { get; } = new([], false);
}
