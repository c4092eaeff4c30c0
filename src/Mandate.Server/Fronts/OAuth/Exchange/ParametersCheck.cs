using Mandate.Core.OAuth;

namespace Mandate.Server.Fronts.OAuth.Exchange;

/// <summary>RFC 8693 §2.1 (with RFC 8707 targets and RFC 9396 <c>authorization_details</c>): each parameter once, well formed.</summary>
public sealed class ParametersCheck : IExchangeCheck
{
    /// <inheritdoc />
    public ValueTask<ExchangeRefusal?> CheckAsync(ExchangeState state, CancellationToken cancellationToken)
    {
        var parsed = TokenExchangeRequestParser.Parse(state.Form!);
        if (!parsed.Ok)
        {
            return ValueTask.FromResult<ExchangeRefusal?>(new ExchangeRefusal(ExchangeCodes.For(parsed.Error), parsed.Error.Description));
        }

        state.Request = parsed.Request;
        return ValueTask.FromResult<ExchangeRefusal?>(null);
    }
}
