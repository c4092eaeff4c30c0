namespace Mandate.Core.Tokens;

/// <summary>
/// A narrowed, checked exchange, ready for the policy decision and then <see cref="TaskTokenService.IssueAsync"/>.
/// Nothing is stored yet; ids are assigned at issue.
/// </summary>
public sealed record ExchangePlan
{
    /// <summary>The agent the token is issued to (the innermost actor).</summary>
    public required ExchangeActor Actor { get; init; }

    /// <summary>The OAuth client id.</summary>
    public required string ClientId { get; init; }

    /// <summary>The user the chain acts for, if any (inherited from the parent for a child).</summary>
    public string? UserId { get; init; }

    /// <summary>The parent token's jti for a delegation, else null.</summary>
    public string? ParentJti { get; init; }

    /// <summary>The parent token's session for a delegation, else null.</summary>
    public string? ParentSessionId { get; init; }

    /// <summary>Agent ids outermost → innermost, ending with <see cref="Actor"/>.</summary>
    public required IReadOnlyList<string> Chain { get; init; }

    /// <summary>0 for a root token, parent's depth + 1 for a child.</summary>
    public required int Depth { get; init; }

    /// <summary>The narrowed grant the token will carry.</summary>
    public required TaskGrant Grant { get; init; }

    /// <summary>The <c>iat</c>.</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>The <c>exp</c>: min(now + requested or default, now + max, parent's expiry).</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>True when the lifetime was cut (to the maximum or to the parent's expiry).</summary>
    public bool LifetimeClamped { get; init; }

    /// <summary>DPoP key thumbprint (<c>cnf.jkt</c>), or null for a bearer token.</summary>
    public string? Jkt { get; init; }

    /// <summary>True for a child token (delegation).</summary>
    public bool IsDelegation => ParentJti is not null;

    /// <summary>The Cedar action the exchange is decided under: <c>token.exchange</c> for a root, <c>delegate</c> for a child.</summary>
    public string CedarAction => IsDelegation ? "delegate" : "token.exchange";

    /// <summary>The token's <c>sub</c>: the user when acting for one, else the chain's first agent.</summary>
    public string Subject => UserId ?? Chain[0];
}
