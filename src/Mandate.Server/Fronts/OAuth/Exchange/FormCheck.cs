using Mandate.Core.Errors;
using Mandate.Core.OAuth;

namespace Mandate.Server.Fronts.OAuth.Exchange;

/// <summary>RFC 6749 §3.2: a POST with an <c>application/x-www-form-urlencoded</c> body, bounded in size.</summary>
public sealed class FormCheck : IExchangeCheck
{
    /// <inheritdoc />
    public async ValueTask<ExchangeRefusal?> CheckAsync(ExchangeState state, CancellationToken cancellationToken)
    {
        var (form, error) = await OAuthForm.ReadAsync(state.Http);
        if (error is not null)
        {
            return new ExchangeRefusal(ExchangeCodes.For(error), error.Description);
        }

        state.Form = form;
        return null;
    }
}

/// <summary>The stable code of an OAuth error a request parser returned.</summary>
public static class ExchangeCodes
{
    /// <summary><c>exchange.&lt;error&gt;</c> for the parser's standard errors.</summary>
    public static ErrorCode For(OAuthError error) => error.Error switch
    {
        OAuthErrorCodes.UnsupportedGrantType => ErrorCatalogue.ExchangeUnsupportedGrantType,
        OAuthErrorCodes.InvalidScope => ErrorCatalogue.ExchangeInvalidScope,
        OAuthErrorCodes.InvalidTarget => ErrorCatalogue.ExchangeInvalidTarget,
        OAuthErrorCodes.InvalidAuthorizationDetails => ErrorCatalogue.ExchangeInvalidAuthorizationDetails,
        _ => ErrorCatalogue.ExchangeInvalidRequest,
    };
}
