namespace Mandate.Core.OAuth;

/// <summary>The standard OAuth error codes Mandate answers with (RFC 6749 §5.2, RFC 8693 §2.2.2, RFC 8707, RFC 9396, RFC 9449, RFC 6750).</summary>
public static class OAuthErrorCodes
{
    /// <summary>A parameter is missing, repeated, malformed or unsupported.</summary>
    public const string InvalidRequest = "invalid_request";
    /// <summary>The client (here: the actor) could not be authenticated.</summary>
    public const string InvalidClient = "invalid_client";
    /// <summary>The subject or actor token is invalid, expired, revoked, or the exchange is refused for it.</summary>
    public const string InvalidGrant = "invalid_grant";
    /// <summary>The authenticated actor may not use this exchange.</summary>
    public const string UnauthorizedClient = "unauthorized_client";
    /// <summary>The grant type is not token exchange.</summary>
    public const string UnsupportedGrantType = "unsupported_grant_type";
    /// <summary>A requested scope is unknown or exceeds what may be granted.</summary>
    public const string InvalidScope = "invalid_scope";
    /// <summary>A <c>resource</c> or <c>audience</c> is not acceptable (RFC 8707 §2, RFC 8693 §2.2.2).</summary>
    public const string InvalidTarget = "invalid_target";
    /// <summary>An <c>authorization_details</c> entry is not acceptable (RFC 9396 §5).</summary>
    public const string InvalidAuthorizationDetails = "invalid_authorization_details";
    /// <summary>The DPoP proof is missing or invalid (RFC 9449 §5).</summary>
    public const string InvalidDpopProof = "invalid_dpop_proof";
    /// <summary>The presented access token is not valid (RFC 6750 §3.1).</summary>
    public const string InvalidToken = "invalid_token";
    /// <summary>RFC 7009: the token type is not supported for revocation.</summary>
    public const string UnsupportedTokenType = "unsupported_token_type";
    /// <summary>The server failed; the request was refused (fail closed).</summary>
    public const string ServerError = "server_error";
}
