using Mandate.Core.Errors;
using Mandate.Core.Tokens;
using Mandate.Server.Flow.Identify;
using Mandate.Server.TaskTokens;

namespace Mandate.Server.Fronts.OAuth.Exchange;

/// <summary>
/// RFC 8693 §2.1 <c>subject_token</c>: none (the agent acts for itself), a parent task token (verified hop by hop,
/// revocation included, by the flow's gate: a delegation), or a user's access token from a trusted subject issuer
/// (audience checked; an ID token is no authority to act). Invalid tokens carry their <c>token.*</c> code.
/// </summary>
public sealed class SubjectCheck : IExchangeCheck
{
    private readonly TokenServices _tokens;
    private readonly CallerResolver _resolver;

    /// <summary>Creates the check.</summary>
    public SubjectCheck(TokenServices tokens, CallerResolver resolver)
    {
        _tokens = tokens;
        _resolver = resolver;
    }

    /// <inheritdoc />
    public async ValueTask<ExchangeRefusal?> CheckAsync(ExchangeState state, CancellationToken cancellationToken)
    {
        if (state.Request!.SubjectToken is not { } token)
        {
            state.Subject = SubjectToken.None;
            return null;
        }

        if (_resolver.TaskTokens is { } gate && UnverifiedClaims.Issuer(token) == gate.Issuer)
        {
            var parent = gate.VerifyParent(token);
            if (parent.Caller?.Task is not { } principal)
            {
                return new ExchangeRefusal(parent.Code!, parent.Message!);
            }

            state.Subject = new SubjectToken(ExchangeSubjectKind.ParentTaskToken, principal.UserId, [], principal);
            return null;
        }

        if (_tokens.Subjects is null)
        {
            return new ExchangeRefusal(ErrorCatalogue.ExchangeSubjectUntrusted, "no user token issuer is trusted here (tokens.subjectIssuers)");
        }

        var result = await _tokens.Subjects.AuthenticateBearerAsync(token, cancellationToken);
        if (!result.IsSuccess)
        {
            return new ExchangeRefusal(ErrorCatalogue.ForTokenError(result.Error.Code), $"the subject token is not valid: {result.Error.Message}");
        }

        // An ID token says who logged in to a client; it is not authority for anyone to act.
        var claims = result.Identity.Claims;
        foreach (var marker in (string[])["nonce", "at_hash", "c_hash"])
        {
            if (claims.TryGetProperty(marker, out _))
            {
                return new ExchangeRefusal(ErrorCatalogue.ExchangeSubjectIdToken, "the subject token is an id token; present the user's access token");
            }
        }

        state.Subject = new SubjectToken(ExchangeSubjectKind.User, result.Identity.Subject, result.Identity.Scopes, null);
        return null;
    }
}
