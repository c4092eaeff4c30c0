using Mandate.Core.Errors;
using Mandate.Server.Configuration;
using Mandate.Server.Flow.Identify;
using Mandate.Server.TaskTokens;

namespace Mandate.Server.Fronts.OAuth.Exchange;

/// <summary>RFC 9449 §5: a DPoP proof binds the new token to the proof's key; with <c>dpop: required</c> a proof is mandatory.</summary>
public sealed class DpopProofCheck : IExchangeCheck
{
    private readonly TokenServices _tokens;

    /// <summary>Creates the check.</summary>
    public DpopProofCheck(TokenServices tokens) => _tokens = tokens;

    /// <inheritdoc />
    public ValueTask<ExchangeRefusal?> CheckAsync(ExchangeState state, CancellationToken cancellationToken)
    {
        var credentials = PresentedCredentials.From(state.Http.Request);
        var proofs = credentials.Dpop;
        ExchangeRefusal? refusal = null;
        if (proofs.Count > 1)
        {
            refusal = new ExchangeRefusal(ErrorCatalogue.DpopMultipleProofs, "exactly one DPoP proof is allowed");
        }
        else if (proofs.Count == 1)
        {
            var proof = _tokens.Dpop.Validate(proofs[0], "POST", credentials.Url(), null);
            if (proof.Ok)
            {
                state.Jkt = proof.Thumbprint;
            }
            else
            {
                refusal = new ExchangeRefusal(ErrorCatalogue.DpopInvalidProof, proof.Error.Description);
            }
        }
        else if (_tokens.Config.Dpop == DpopMode.Required)
        {
            refusal = new ExchangeRefusal(ErrorCatalogue.DpopRequired, "this issuer binds every task token: send a DPoP proof");
        }

        return ValueTask.FromResult(refusal);
    }
}
