using Mandate.Core.Errors;

namespace Mandate.Server.Fronts.OAuth.Exchange;

/// <summary>One protocol rule of the token exchange, run in the order <see cref="ExchangeChecks"/> gives.</summary>
public interface IExchangeCheck
{
    /// <summary>Checks the request; null to go on, or the refusal (recorded as a deny and answered as an OAuth error).</summary>
    ValueTask<ExchangeRefusal?> CheckAsync(ExchangeState state, CancellationToken cancellationToken);
}

/// <summary>Why an exchange is refused: a stable code (whose catalogue entry names the OAuth error) and a description naming the parameter.</summary>
/// <param name="Code">The code.</param>
/// <param name="Description">Printable ASCII for the <c>error_description</c>; never repeats a token.</param>
public sealed record ExchangeRefusal(ErrorCode Code, string Description);
