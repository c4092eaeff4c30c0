namespace Mandate.Core.OAuth;

/// <summary>A token exchange request (RFC 8693 §2.1) whose parameters passed every syntactic rule.</summary>
public sealed record TokenExchangeRequest
{
    /// <summary>The subject token (a user's access token, or a parent task token), or null when the actor acts for itself.</summary>
    public string? SubjectToken { get; init; }

    /// <summary>The subject token's type URN (one of <see cref="TokenTypeUris"/>); set when <see cref="SubjectToken"/> is.</summary>
    public string? SubjectTokenType { get; init; }

    /// <summary>The actor's own credential (OIDC JWT or JWT-SVID), or null when the actor is the mTLS client.</summary>
    public string? ActorToken { get; init; }

    /// <summary>The actor token's type URN; set when <see cref="ActorToken"/> is.</summary>
    public string? ActorTokenType { get; init; }

    /// <summary>Requested scopes, de-duplicated, in request order.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>RFC 8707 <c>resource</c> values: absolute URIs without a fragment.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>RFC 8693 <c>audience</c> values (logical names).</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>The requested token type, or null for the default (an access token).</summary>
    public string? RequestedTokenType { get; init; }

    /// <summary>The declared task(s) (RFC 9396, type <c>agent_task</c>).</summary>
    public IReadOnlyList<TaskAuthorizationDetail> AuthorizationDetails { get; init; } = [];

    /// <summary>Mandate extension <c>expires_in</c>: the lifetime the actor asks for; null for the default.</summary>
    public TimeSpan? RequestedLifetime { get; init; }
}
