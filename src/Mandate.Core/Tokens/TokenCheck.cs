using Mandate.Core.Errors;

namespace Mandate.Core.Tokens;

/// <summary>The outcome of <see cref="TaskTokenService.Verify"/>: exactly one of <see cref="Principal"/> and <see cref="Error"/>.</summary>
public sealed record TokenCheck
{
    private TokenCheck(TaskTokenPrincipal? principal, TokenError? error)
    {
        Principal = principal;
        Error = error;
    }

    /// <summary>True when the token is valid now.</summary>
    public bool Ok => Principal is not null;

    /// <summary>Who and what the token stands for, built from the stored records (not from the claims).</summary>
    public TaskTokenPrincipal? Principal { get; }

    /// <summary>Why the token was refused.</summary>
    public TokenError? Error { get; }

    /// <summary>A valid token.</summary>
    public static TokenCheck Success(TaskTokenPrincipal principal) => new(principal, null);

    /// <summary>A refused token (OAuth error <c>invalid_token</c>).</summary>
    public static TokenCheck Failure(ErrorCode code, string description) => new(null, new TokenError(code, description));
}
