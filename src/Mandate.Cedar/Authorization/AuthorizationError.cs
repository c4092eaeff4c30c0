namespace Mandate.Cedar.Authorization;

/// <summary>A policy whose evaluation failed (it was skipped): its id and what went wrong.</summary>
/// <param name="PolicyId">The failing policy's id.</param>
/// <param name="Message">A short, lowercase message naming the problem.</param>
public sealed record AuthorizationError(string PolicyId, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"error while evaluating policy `{PolicyId}`: {Message}";
}
