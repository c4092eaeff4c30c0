namespace Mandate.Core.Tokens;

/// <summary>Why an exchange or a token check failed: a stable code, the OAuth error to answer with, and a description.</summary>
/// <param name="Code">Stable code, one of <see cref="TokenErrorCodes"/>.</param>
/// <param name="OAuthError">The RFC 6749 / 8693 / 6750 error string (<c>invalid_request</c>, <c>invalid_grant</c>,
/// <c>invalid_scope</c>, <c>invalid_target</c>, <c>invalid_token</c>, ...).</param>
/// <param name="Description">A short lowercase explanation naming the offending input; safe to return to the client.</param>
public sealed record TokenError(string Code, string OAuthError, string Description)
{
    /// <inheritdoc />
    public override string ToString() => $"{Code} ({OAuthError}): {Description}";
}
