using System.Text.Json;

namespace Mandate.Core.Identity;

/// <summary>Who is calling: the outcome of step 1 "Identify" of the enforcement path.</summary>
public sealed record AgentIdentity
{
    /// <summary>The principal: the calling agent (OIDC: <c>act.sub</c> or the configured agent claim; SPIFFE: the SPIFFE ID).</summary>
    public required string AgentId { get; init; }

    /// <summary>How the agent was identified: one of <see cref="AuthenticationMethods"/>.</summary>
    public required string Method { get; init; }

    /// <summary>The token issuer (<c>iss</c>), or for SPIFFE the trust domain as <c>spiffe://td</c>.</summary>
    public required string Issuer { get; init; }

    /// <summary>The token's <c>sub</c> (for X.509-SVID the SPIFFE ID).</summary>
    public required string Subject { get; init; }

    /// <summary>The human the agent acts for (<c>sub</c> when the token has an <c>act</c> claim), else null.</summary>
    public string? User { get; init; }

    /// <summary>Actor ids from the nested RFC 8693 <c>act</c> claim, outermost (the current actor) first. Empty without delegation.</summary>
    public IReadOnlyList<string> DelegationChain { get; init; } = [];

    /// <summary>Scopes from <c>scope</c> (space-separated) or <c>scp</c> (array or string). Empty when absent.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>When the credential stops being valid (<c>exp</c> or the certificate's NotAfter).</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The token id (<c>jti</c>), when present.</summary>
    public string? TokenId { get; init; }

    /// <summary>The verified payload (a detached clone); an empty object for X.509-SVIDs.</summary>
    public required JsonElement Claims { get; init; }
}
