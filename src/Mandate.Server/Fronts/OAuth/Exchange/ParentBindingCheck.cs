using Mandate.Core.Errors;

namespace Mandate.Server.Fronts.OAuth.Exchange;

/// <summary>
/// RFC 9449 §4.3 applied to the subject: a DPoP-bound parent is exchanged only by the holder of its key, so the
/// request's proof must come from that key, and a stolen bound token cannot beget children.
/// </summary>
public sealed class ParentBindingCheck : IExchangeCheck
{
    /// <inheritdoc />
    public ValueTask<ExchangeRefusal?> CheckAsync(ExchangeState state, CancellationToken cancellationToken)
    {
        ExchangeRefusal? refusal = null;
        if (state.Subject!.Parent is { Jkt: { } parentJkt })
        {
            if (state.Jkt is null)
            {
                refusal = new ExchangeRefusal(ErrorCatalogue.DpopRequired, "the subject token is DPoP-bound: the exchange needs a DPoP proof made with its key");
            }
            else if (!string.Equals(state.Jkt, parentJkt, StringComparison.Ordinal))
            {
                refusal = new ExchangeRefusal(ErrorCatalogue.DpopKeyMismatch, "the subject token is DPoP-bound to another key than the proof's");
            }
        }

        return ValueTask.FromResult(refusal);
    }
}
