namespace Mandate.Core.Decisions;

/// <summary>
/// The verified caller as the decision path sees it: which agent, how it proved itself, for whom it acts.
/// Built by the identify step from whatever authenticator is configured (OIDC JWT, SPIFFE JWT-SVID, X.509-SVID).
/// </summary>
/// <param name="AgentId">The agent's id; becomes the Cedar principal <c>Agent::"AgentId"</c>.</param>
/// <param name="Method">How the agent authenticated: <c>oidc</c>, <c>jwt-svid</c>, <c>x509-svid</c>.</param>
/// <param name="Issuer">The token issuer or SPIFFE trust domain.</param>
/// <param name="User">The human the agent acts for (<c>sub</c> when it differs from the agent), if any.</param>
/// <param name="DelegationChain">Actors from outermost to innermost (<c>act</c> claims), empty when direct.</param>
/// <param name="Scopes">Granted scopes, empty when the credential carries none.</param>
/// <param name="ExpiresAt">When the credential expires; null for credentials without expiry facts.</param>
/// <param name="TokenId">The token's <c>jti</c>, or the certificate serial, when known.</param>
public sealed record CallerIdentity(
    string AgentId,
    string Method,
    string Issuer,
    string? User,
    IReadOnlyList<string> DelegationChain,
    IReadOnlyList<string> Scopes,
    DateTimeOffset? ExpiresAt,
    string? TokenId)
{
    /// <summary>
    /// Claims of the verified token the issuer's configuration names (<c>claimsToContext</c>), for
    /// <c>context.claims</c>; null when the issuer names none (then the context has no <c>claims</c> member).
    /// </summary>
    /// <summary>The task session (<c>sid</c>) when the caller presented a Mandate task token; recorded in the audit log.</summary>
    public string? SessionId { get; init; }

    public IReadOnlyDictionary<string, ClaimValue>? Claims { get; init; }
}
