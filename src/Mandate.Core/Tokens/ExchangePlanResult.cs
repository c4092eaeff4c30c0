using Mandate.Core.Errors;

namespace Mandate.Core.Tokens;

/// <summary>The outcome of <see cref="TaskTokenService.Plan"/>: exactly one of <see cref="Plan"/> and <see cref="Error"/>.</summary>
public sealed record ExchangePlanResult
{
    private ExchangePlanResult(ExchangePlan? plan, TokenError? error)
    {
        Plan = plan;
        Error = error;
    }

    /// <summary>The plan, when the exchange may go ahead to the policy decision.</summary>
    public ExchangePlan? Plan { get; }

    /// <summary>Why the exchange was refused.</summary>
    public TokenError? Error { get; }

    /// <summary>True when <see cref="Plan"/> is set.</summary>
    public bool Ok => Plan is not null;

    /// <summary>A plan.</summary>
    public static ExchangePlanResult Success(ExchangePlan plan) => new(plan, null);

    /// <summary>A refusal.</summary>
    public static ExchangePlanResult Failure(ErrorCode code, string description) => new(null, new TokenError(code, description));
}
