using Mandate.Core.Errors;
using Mandate.Server.Flow.Identify;

namespace Mandate.Server.Fronts.OAuth.Exchange;

/// <summary>
/// RFC 8693 §2.1 / RFC 8705: the actor proves itself with its own workload credential — <c>actor_token</c>, or the
/// mTLS client certificate — resolved by the flow's <see cref="CallerResolver"/>, never a task token. An invalid
/// actor token carries the same <c>token.*</c> code it would on any front (RFC 8693 §2.2.2: <c>invalid_request</c>).
/// </summary>
public sealed class ActorCheck : IExchangeCheck
{
    private readonly CallerResolver _resolver;

    /// <summary>Creates the check.</summary>
    public ActorCheck(CallerResolver resolver) => _resolver = resolver;

    /// <inheritdoc />
    public async ValueTask<ExchangeRefusal?> CheckAsync(ExchangeState state, CancellationToken cancellationToken)
    {
        CallerResolution resolution;
        if (state.Request!.ActorToken is { } actorToken)
        {
            resolution = await _resolver.ResolveWorkloadTokenAsync(actorToken, cancellationToken);
        }
        else if (state.Http.Connection.ClientCertificate is { } certificate)
        {
            resolution = _resolver.ResolveCertificate(certificate);
        }
        else
        {
            return new ExchangeRefusal(ErrorCatalogue.ExchangeActorMissing, "the actor is not authenticated: send `actor_token` or a client certificate");
        }

        if (resolution.Caller is not { } actor)
        {
            return new ExchangeRefusal(resolution.Code!, resolution.Code == ErrorCatalogue.ExchangeActorIsTaskToken
                ? resolution.Message!
                : $"the actor token is not valid: {resolution.Message}");
        }

        state.Flow.Caller = actor;
        return null;
    }
}
