using Mandate.Core.Errors;

namespace Mandate.Core.Tokens;

/// <summary>Why an exchange or a token check failed: a stable code (<see cref="ErrorCatalogue"/>) and a description.</summary>
/// <param name="Code">The stable code; its catalogue entry names the OAuth error the token endpoint answers with.</param>
/// <param name="Description">A short lowercase explanation naming the offending input; safe to return to the client.</param>
public sealed record TokenError(ErrorCode Code, string Description)
{
    /// <inheritdoc />
    public override string ToString() => $"{Code.Code}: {Description}";
}
