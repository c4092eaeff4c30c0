using Mandate.Core.Errors;
using Mandate.Server.TaskTokens;

namespace Mandate.Server.Fronts.OAuth.Exchange;

/// <summary>RFC 8707 §2 / RFC 8693 §2.2.2: every requested audience or resource must be one this issuer serves (<c>invalid_target</c>).</summary>
public sealed class TargetCheck : IExchangeCheck
{
    private readonly TokenServices _tokens;

    /// <summary>Creates the check.</summary>
    public TargetCheck(TokenServices tokens) => _tokens = tokens;

    /// <inheritdoc />
    public ValueTask<ExchangeRefusal?> CheckAsync(ExchangeState state, CancellationToken cancellationToken)
    {
        var request = state.Request!;
        var audiences = request.Audiences.Concat(request.Resources).Distinct(StringComparer.Ordinal).ToArray();
        if (audiences.FirstOrDefault(a => !_tokens.Config.Audiences.Contains(a, StringComparer.Ordinal)) is not null)
        {
            return ValueTask.FromResult<ExchangeRefusal?>(new ExchangeRefusal(ErrorCatalogue.ExchangeInvalidTarget, "a requested audience or resource is not one this issuer serves"));
        }

        state.Audiences = audiences;
        return ValueTask.FromResult<ExchangeRefusal?>(null);
    }
}
