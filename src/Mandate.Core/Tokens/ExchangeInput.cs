namespace Mandate.Core.Tokens;

/// <summary>Everything a token exchange request says, after the server verified its tokens. Immutable.</summary>
public sealed record ExchangeInput
{
    /// <summary>The agent exchanging (from the verified actor token). Required.</summary>
    public required ExchangeActor Actor { get; init; }

    /// <summary>What the subject token was.</summary>
    public ExchangeSubjectKind SubjectKind { get; init; }

    /// <summary>The user id from a verified user subject token; required when <see cref="SubjectKind"/> is <see cref="ExchangeSubjectKind.User"/>.</summary>
    public string? UserId { get; init; }

    /// <summary>The verified parent task token; required when <see cref="SubjectKind"/> is <see cref="ExchangeSubjectKind.ParentTaskToken"/>.</summary>
    public TaskTokenPrincipal? Parent { get; init; }

    /// <summary>What the client asks for (<c>scope</c>, <c>audience</c>/<c>resource</c>, <c>authorization_details</c>).
    /// Empty lists mean "as much as allowed".</summary>
    public TaskGrant Requested { get; init; } = TaskGrant.Empty;

    /// <summary>
    /// Optional upper bound for a root token (e.g. the scopes the user's token carries, or what the route allows):
    /// a root request is narrowed by it exactly as a child is by its parent. Ignored for a child (the parent bounds it).
    /// </summary>
    public TaskGrant? Ceiling { get; init; }

    /// <summary>Requested lifetime; null for <see cref="TaskTokenOptions.DefaultLifetime"/>.</summary>
    public TimeSpan? RequestedLifetime { get; init; }

    /// <summary>JWK SHA-256 thumbprint (RFC 7638) of a verified DPoP proof's key; the token is then DPoP-bound.</summary>
    public string? DpopJkt { get; init; }

    /// <summary>The OAuth client id (the agent's id when the agent is the client). Required.</summary>
    public required string ClientId { get; init; }
}
