namespace Mandate.Core.Errors;

/// <summary>
/// The token endpoint's own codes (RFC 8693 token exchange). Invalid actor or subject tokens use the <c>token.*</c>
/// and <c>dpop.*</c> codes, so a revoked parent reads the same at the token endpoint as on any other front.
/// </summary>
public static partial class ErrorCatalogue
{
    /// <summary>The request is malformed: not a form, a repeated or missing parameter, an unknown token type, a bad lifetime.</summary>
    public static readonly ErrorCode ExchangeInvalidRequest = new("exchange.invalid_request", 400, BadRequest, null, "invalid_request");

    /// <summary>The grant type is not token exchange.</summary>
    public static readonly ErrorCode ExchangeUnsupportedGrantType = new("exchange.unsupported_grant_type", 400, BadRequest, null, "unsupported_grant_type");

    /// <summary>A <c>scope</c> is malformed or there are too many.</summary>
    public static readonly ErrorCode ExchangeInvalidScope = new("exchange.invalid_scope", 400, BadRequest, null, "invalid_scope");

    /// <summary>A <c>resource</c> or <c>audience</c> is malformed or not one this issuer serves (RFC 8707).</summary>
    public static readonly ErrorCode ExchangeInvalidTarget = new("exchange.invalid_target", 400, BadRequest, null, "invalid_target");

    /// <summary>An <c>authorization_details</c> entry is not acceptable (RFC 9396 §5).</summary>
    public static readonly ErrorCode ExchangeInvalidAuthorizationDetails = new("exchange.invalid_authorization_details", 400, BadRequest, null, "invalid_authorization_details");

    /// <summary>The request asks for more than the parent token (or the user's token) holds.</summary>
    public static readonly ErrorCode ExchangeScopeEscalation = new("exchange.scope_escalation", 400, BadRequest, null, "invalid_scope");

    /// <summary>The request asks for an audience the parent token (or the user's token) does not hold.</summary>
    public static readonly ErrorCode ExchangeTargetEscalation = new("exchange.target_escalation", 400, BadRequest, null, "invalid_target");

    /// <summary>A child asks to outlive its parent.</summary>
    public static readonly ErrorCode ExchangeTtlExceedsParent = new("exchange.ttl_exceeds_parent", 400, BadRequest, null, "invalid_request");

    /// <summary>The actor already appears in the parent's chain.</summary>
    public static readonly ErrorCode ExchangeDelegationCycle = new("exchange.delegation_cycle", 400, BadRequest, null, "invalid_request");

    /// <summary>The parent task token stopped being valid between its check and the plan (revoked or expired meanwhile).</summary>
    public static readonly ErrorCode ExchangeParentInvalid = new("exchange.parent_invalid", 400, BadRequest, null, "invalid_request");

    /// <summary>Neither <c>actor_token</c> nor a client certificate authenticates the actor.</summary>
    public static readonly ErrorCode ExchangeActorMissing = new("exchange.actor_missing", 401, Unauthenticated, null, "invalid_client");

    /// <summary>The actor token is a task token; the actor must present its own workload credential.</summary>
    public static readonly ErrorCode ExchangeActorIsTaskToken = new("exchange.actor_is_task_token", 400, BadRequest, null, "invalid_request");

    /// <summary>A user subject token was sent but no user token issuer is trusted (<c>tokens.subjectIssuers</c>).</summary>
    public static readonly ErrorCode ExchangeSubjectUntrusted = new("exchange.subject_untrusted", 400, BadRequest, null, "invalid_request");

    /// <summary>The subject token is an ID token, which is no authority to act.</summary>
    public static readonly ErrorCode ExchangeSubjectIdToken = new("exchange.subject_id_token", 400, BadRequest, null, "invalid_request");

    /// <summary>The token could not be stored after its decision was recorded; no token was issued.</summary>
    public static readonly ErrorCode ExchangeStoreFailed = new("exchange.store_failed", 503, Unavailable, null, "server_error");

    /// <summary>RFC 7009 revocation or RFC 7662 introspection was called without the caller's own credential.</summary>
    public static readonly ErrorCode TokenClientUnauthenticated = new("token.client_unauthenticated", 401, Unauthenticated, null, "invalid_client");

    /// <summary>RFC 7009 §2.1: the authenticated client asked to revoke a token that is neither its own nor derived from one of its tokens.</summary>
    public static readonly ErrorCode TokenRevokeNotPermitted = new("token.revoke_not_permitted", 400, BadRequest, null, "unauthorized_client");

    /// <summary>RFC 7009: the authenticated client's revocation was carried out (or the token was already invalid: nothing to revoke).</summary>
    public static readonly ErrorCode TokenRevocation = new("token.revocation", 200, Allowed);

    /// <summary>RFC 7009: the token type hint names a type Mandate does not revoke.</summary>
    public static readonly ErrorCode TokenUnsupportedType = new("token.unsupported_type", 400, BadRequest, null, "unsupported_token_type");
}
