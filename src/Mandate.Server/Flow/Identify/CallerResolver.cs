using System.Security.Cryptography.X509Certificates;
using Mandate.Core.Errors;
using Mandate.Server.Configuration;

namespace Mandate.Server.Flow.Identify;

/// <summary>
/// The one place that resolves who calls, for every front: a Mandate task token (verified hop by hop, revocation,
/// DPoP binding, session owner: <see cref="TaskTokenGate"/>), else exactly one <c>Authorization: Bearer</c> workload
/// token (OIDC JWT or SPIFFE JWT-SVID, with its delegation chain), else the mTLS client certificate (X.509-SVID,
/// with the intermediates the client presented), else nothing (<c>identity.missing</c>). The token endpoint asks
/// it for the actor's workload credential and the parent task token in the same terms.
/// </summary>
public sealed class CallerResolver
{
    private readonly ICallerAuthenticator _authenticator;
    private readonly PresentedCertificateChains _chains;

    /// <summary>Creates the resolver; task tokens are accepted when <paramref name="taskTokens"/> is given.</summary>
    public CallerResolver(ICallerAuthenticator authenticator, PresentedCertificateChains chains, TaskTokenGate? taskTokens)
    {
        _authenticator = authenticator;
        _chains = chains;
        TaskTokens = taskTokens;
    }

    /// <summary>The task-token gate, when Mandate issues task tokens.</summary>
    public TaskTokenGate? TaskTokens { get; }

    /// <summary>True when every configured issuer holds usable keys (for readiness).</summary>
    public bool IsReady => _authenticator.IsReady;

    /// <summary>Resolves the caller of a request from the credentials it presents. Never throws for bad input.</summary>
    public ValueTask<CallerResolution> ResolveAsync(in PresentedCredentials credentials, CancellationToken cancellationToken) =>
        FlowTelemetry.Observed ? ResolveObservedAsync(credentials, cancellationToken) : Resolve(credentials, cancellationToken);

    // The identify step under its span (only while observability is on): who was resolved and how, or the refusal's code.
    private async ValueTask<CallerResolution> ResolveObservedAsync(PresentedCredentials credentials, CancellationToken cancellationToken)
    {
        using var span = Telemetry.MandateTelemetry.StartStep("mandate.identify");
        var resolution = await Resolve(credentials, cancellationToken);
        if (span is not null)
        {
            FlowTelemetry.TagCaller(span, resolution.Caller);
            if (resolution.Code is { } code)
            {
                span.SetTag(Telemetry.SpanAttributes.Code, code.Code);
            }
        }

        return resolution;
    }

    private ValueTask<CallerResolution> Resolve(in PresentedCredentials credentials, CancellationToken cancellationToken)
    {
        // A token of Mandate's own issuer is a task token: verified by the token service, never by the OIDC path.
        if (TaskTokens?.TryAccept(credentials) is { } task)
        {
            return ValueTask.FromResult(task);
        }

        var header = BearerHeader.Read(credentials.Authorization);
        if (header.ErrorCode is { } code)
        {
            return ValueTask.FromResult(CallerResolution.Refused(code, header.ErrorMessage!));
        }

        if (header.HasToken)
        {
            // A token verified before is answered at once from the cache: no state machine then.
            var pending = _authenticator.AuthenticateBearerAsync(header.Token, cancellationToken);
            return pending.IsCompletedSuccessfully ? ValueTask.FromResult(Workload(pending.Result)) : WorkloadAsync(pending);
        }

        if (credentials.ClientCertificate is { } certificate)
        {
            return ValueTask.FromResult(ResolveCertificate(certificate));
        }

        return ValueTask.FromResult(CallerResolution.Refused(ErrorCatalogue.IdentityMissing, "a bearer token or client certificate is required"));
    }

    /// <summary>
    /// Resolves the caller of a decision API: a configured client's API key (<see cref="ApiKeyClients"/>), else every
    /// credential <see cref="ResolveAsync"/> accepts (a JWT, a task token, a client certificate).
    /// </summary>
    public ValueTask<CallerResolution> ResolveClientAsync(in PresentedCredentials credentials, AuthZenConfig? authzen, CancellationToken cancellationToken)
    {
        if (authzen is not null)
        {
            var header = BearerHeader.Read(credentials.Authorization);
            if (header.HasToken && ApiKeyClients.Match(header.Token.Span, authzen) is { } client)
            {
                return ValueTask.FromResult(CallerResolution.Verified(client));
            }
        }

        return ResolveAsync(credentials, cancellationToken);
    }

    /// <summary>
    /// Resolves a workload token given outside the <c>Authorization</c> header (the token endpoint's <c>actor_token</c>).
    /// A task token is refused: an actor proves itself with its own workload credential.
    /// </summary>
    public async ValueTask<CallerResolution> ResolveWorkloadTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (TaskTokens is { } gate && UnverifiedClaims.Issuer(token) == gate.Issuer)
        {
            return CallerResolution.Refused(ErrorCatalogue.ExchangeActorIsTaskToken, "the actor token must be the agent's workload credential, not a task token");
        }

        if (token.Length > BearerHeader.MaxTokenLength)
        {
            return CallerResolution.Refused(ErrorCatalogue.IdentityTokenTooLarge, "the token is too large");
        }

        return Workload(await _authenticator.AuthenticateBearerAsync(token, cancellationToken));
    }

    /// <summary>Resolves an mTLS client certificate (X.509-SVID) with the intermediates the client presented.</summary>
    public CallerResolution ResolveCertificate(X509Certificate2 certificate) =>
        Workload(_authenticator.AuthenticateCertificate(certificate, _chains.For(certificate)));

    private static CallerResolution Workload(IdentifyResult result) =>
        result.Caller is { } caller
            ? CallerResolution.Verified(new ResolvedCaller(caller, null))
            : CallerResolution.Refused(result.ErrorCode ?? ErrorCatalogue.IdentityInvalid, result.ErrorMessage ?? "the credential is not valid");

    private static async ValueTask<CallerResolution> WorkloadAsync(ValueTask<IdentifyResult> pending) => Workload(await pending);
}
