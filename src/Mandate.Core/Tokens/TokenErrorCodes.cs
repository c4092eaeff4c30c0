namespace Mandate.Core.Tokens;

/// <summary>Stable codes of <see cref="TokenError"/>, and the OAuth error strings they map to.</summary>
public static class TokenErrorCodes
{
    /// <summary>The exchange input is incomplete or contradictory (<c>invalid_request</c>).</summary>
    public const string InvalidRequest = "exchange.invalid_request";

    /// <summary>The request asks for a scope, audience, tool or resource the parent (or ceiling) does not hold (<c>invalid_scope</c>).</summary>
    public const string ScopeEscalation = "exchange.scope_escalation";

    /// <summary>A child asked to outlive its parent and <see cref="TaskTokenOptions.RefuseLifetimeBeyondParent"/> is set (<c>invalid_request</c>).</summary>
    public const string TtlExceedsParent = "exchange.ttl_exceeds_parent";

    /// <summary>The delegation chain would be deeper than <see cref="TaskTokenOptions.MaxDepth"/> (<c>invalid_grant</c>).</summary>
    public const string DepthExceeded = "delegation.depth_exceeded";

    /// <summary>The actor already appears in the parent's chain (<c>invalid_grant</c>).</summary>
    public const string DelegationCycle = "exchange.delegation_cycle";

    /// <summary>The parent task token is revoked, expired or unknown (<c>invalid_grant</c>).</summary>
    public const string ParentInvalid = "exchange.parent_invalid";

    /// <summary>The token is not a compact JWS this issuer could have signed (<c>invalid_token</c>).</summary>
    public const string Malformed = "token.malformed";

    /// <summary>Not a Mandate task token: wrong <c>typ</c>, another issuer, a key that is not ours (<c>invalid_token</c>).</summary>
    public const string NotTaskToken = "token.not_task_token";

    /// <summary>The signature does not verify under our key with that kid (<c>invalid_token</c>).</summary>
    public const string BadSignature = "token.bad_signature";

    /// <summary>The token has expired (<c>invalid_token</c>).</summary>
    public const string Expired = "token.expired";

    /// <summary>The token's <c>iat</c> is in the future beyond the allowed skew (<c>invalid_token</c>).</summary>
    public const string NotYetValid = "token.not_yet_valid";

    /// <summary>No token record has this <c>jti</c> (<c>invalid_token</c>).</summary>
    public const string Unknown = "token.unknown";

    /// <summary>The token, its session, its user or an agent of its chain was revoked (<c>invalid_token</c>).</summary>
    public const string Revoked = "token.revoked";

    /// <summary>An ancestor is missing, revoked or expired, or a hop widens its parent (<c>invalid_token</c>).</summary>
    public const string ChainBroken = "token.chain_broken";

    /// <summary>The token's claims (<c>act</c>, <c>sub</c>, <c>sid</c>, ...) differ from its record (<c>invalid_token</c>).</summary>
    public const string ClaimsMismatch = "token.claims_mismatch";

    /// <summary>OAuth error for a rejected bearer token (RFC 6750).</summary>
    public const string OAuthInvalidToken = "invalid_token";

    /// <summary>OAuth error for a bad grant (RFC 6749 §5.2).</summary>
    public const string OAuthInvalidGrant = "invalid_grant";

    /// <summary>OAuth error for a bad scope (RFC 6749 §5.2).</summary>
    public const string OAuthInvalidScope = "invalid_scope";

    /// <summary>OAuth error for a malformed request (RFC 6749 §5.2).</summary>
    public const string OAuthInvalidRequest = "invalid_request";

    /// <summary>OAuth error for an unacceptable audience/resource (RFC 8693 §2.2.2).</summary>
    public const string OAuthInvalidTarget = "invalid_target";
}
