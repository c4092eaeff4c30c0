using Mandate.Core.Identity;

namespace Mandate.Core.Errors;

/// <summary>
/// Who calls: the credential on the request (<c>identity.*</c>), the token's verification (<c>token.*</c>, the
/// same codes for workload tokens, user tokens and task tokens) and DPoP (<c>dpop.*</c>). At the token endpoint an
/// invalid actor or subject token is <c>invalid_request</c> (RFC 8693 §2.2.2).
/// </summary>
public static partial class ErrorCatalogue
{
    private const string OAuthInvalidRequest = "invalid_request";
    private const string OAuthInvalidDpopProof = "invalid_dpop_proof";

    /// <summary>Neither a bearer token nor a client certificate was presented.</summary>
    public static readonly ErrorCode IdentityMissing = new("identity.missing", 401, Unauthenticated, null, "invalid_client");

    /// <summary>Several <c>Authorization</c> headers, or several credentials folded into one.</summary>
    public static readonly ErrorCode IdentityDuplicateAuthorization = new("identity.duplicate_authorization", 400, BadRequest, null, OAuthInvalidRequest);

    /// <summary>The <c>Authorization</c> header is not <c>Bearer &lt;token&gt;</c> (or <c>DPoP &lt;token&gt;</c> for a bound task token).</summary>
    public static readonly ErrorCode IdentityUnsupportedScheme = new("identity.unsupported_scheme", 401, Unauthenticated);

    /// <summary>The token is larger than Mandate reads.</summary>
    public static readonly ErrorCode IdentityTokenTooLarge = new("identity.token_too_large", 401, Unauthenticated);

    /// <summary>The credential has characters a token cannot have.</summary>
    public static readonly ErrorCode IdentityMalformedToken = new("identity.malformed_token", 401, Unauthenticated);

    /// <summary>The credential was refused without a more precise code.</summary>
    public static readonly ErrorCode IdentityInvalid = new("identity.invalid", 401, Unauthenticated, null, OAuthInvalidRequest);

    /// <summary>No token was given where one was expected.</summary>
    public static readonly ErrorCode TokenMissingToken = Token(IdentityErrorCodes.MissingToken);
    /// <summary>The token is larger than the configured limit.</summary>
    public static readonly ErrorCode TokenTooLarge = Token(IdentityErrorCodes.TokenTooLarge);
    /// <summary>Not a well-formed compact JWS (or not one Mandate's issuer could have signed).</summary>
    public static readonly ErrorCode TokenMalformed = Token(IdentityErrorCodes.Malformed);
    /// <summary>The JOSE header or the payload repeats a member name.</summary>
    public static readonly ErrorCode TokenDuplicateJsonKey = Token(IdentityErrorCodes.DuplicateJsonKey);
    /// <summary>The <c>alg</c> is not allowed or does not fit the key.</summary>
    public static readonly ErrorCode TokenAlgNotAllowed = Token(IdentityErrorCodes.AlgNotAllowed);
    /// <summary>The header names a key source that is never trusted (<c>jwk</c>, <c>jku</c>, <c>x5u</c>).</summary>
    public static readonly ErrorCode TokenUntrustedKeySource = Token(IdentityErrorCodes.UntrustedKeySource);
    /// <summary>The header carries a critical extension Mandate does not implement.</summary>
    public static readonly ErrorCode TokenUnsupportedCrit = Token(IdentityErrorCodes.UnsupportedCritical);
    /// <summary>The header's <c>crit</c> breaks RFC 7515 §4.1.11: empty, not an array of distinct names, a registered header, or a header the token lacks.</summary>
    public static readonly ErrorCode TokenInvalidCrit = Token(IdentityErrorCodes.InvalidCritical);
    /// <summary>The <c>typ</c> is not a JWT type.</summary>
    public static readonly ErrorCode TokenWrongTyp = Token(IdentityErrorCodes.WrongType);
    /// <summary>The issuer (or SPIFFE trust domain) is not configured.</summary>
    public static readonly ErrorCode TokenUnknownIssuer = Token(IdentityErrorCodes.UnknownIssuer);
    /// <summary>No key of the issuer matches the <c>kid</c>.</summary>
    public static readonly ErrorCode TokenUnknownKid = Token(IdentityErrorCodes.UnknownKid);
    /// <summary>The signature does not verify.</summary>
    public static readonly ErrorCode TokenBadSignature = Token(IdentityErrorCodes.BadSignature);
    /// <summary>The token has expired.</summary>
    public static readonly ErrorCode TokenExpired = Token(IdentityErrorCodes.Expired);
    /// <summary>The token is not valid yet (<c>nbf</c>, or a task token's <c>iat</c>, in the future).</summary>
    public static readonly ErrorCode TokenNotYetValid = Token(IdentityErrorCodes.NotYetValid);
    /// <summary>The token's <c>iat</c> lies in the future.</summary>
    public static readonly ErrorCode TokenIssuedInFuture = Token(IdentityErrorCodes.IssuedInFuture);
    /// <summary>The <c>iss</c> is not the expected issuer.</summary>
    public static readonly ErrorCode TokenWrongIssuer = Token(IdentityErrorCodes.WrongIssuer);
    /// <summary>The <c>aud</c> holds none of the accepted audiences (or a task token is not for this gateway).</summary>
    public static readonly ErrorCode TokenWrongAudience = Token(IdentityErrorCodes.WrongAudience);
    /// <summary>A required claim is absent.</summary>
    public static readonly ErrorCode TokenMissingClaim = Token(IdentityErrorCodes.MissingClaim);
    /// <summary>A claim's value is unusable.</summary>
    public static readonly ErrorCode TokenInvalidClaim = Token(IdentityErrorCodes.InvalidClaim);
    /// <summary>The issuer's key set was never fetched.</summary>
    public static readonly ErrorCode TokenJwksUnavailable = Token(IdentityErrorCodes.JwksUnavailable);
    /// <summary>The issuer's key set is older than its staleness bound.</summary>
    public static readonly ErrorCode TokenJwksStale = Token(IdentityErrorCodes.JwksStale);
    /// <summary>A SPIFFE ID is malformed or of another trust domain.</summary>
    public static readonly ErrorCode TokenSpiffeIdInvalid = Token(IdentityErrorCodes.SpiffeIdInvalid);
    /// <summary>The client certificate is not a valid X.509-SVID.</summary>
    public static readonly ErrorCode TokenCertificateInvalid = Token(IdentityErrorCodes.CertificateInvalid);
    /// <summary>An unexpected fault while identifying.</summary>
    public static readonly ErrorCode TokenInternalError = Token(IdentityErrorCodes.InternalError);
    /// <summary>A token of another kind where a Mandate task token is required (or a task token where it is not).</summary>
    public static readonly ErrorCode TokenNotTaskToken = Token("not_task_token");
    /// <summary>No task token record has this <c>jti</c>.</summary>
    public static readonly ErrorCode TokenUnknown = Token("unknown");
    /// <summary>The task token, its session, its user or an agent of its chain was revoked.</summary>
    public static readonly ErrorCode TokenRevoked = Token("revoked");
    /// <summary>An ancestor of the task token is missing, revoked or expired, or a hop widens its parent.</summary>
    public static readonly ErrorCode TokenChainBroken = Token("chain_broken");
    /// <summary>The task token's claims differ from its record.</summary>
    public static readonly ErrorCode TokenClaimsMismatch = Token("claims_mismatch");

    /// <summary>The token is DPoP-bound and was presented without a proof, or this place accepts only bound tokens.</summary>
    public static readonly ErrorCode DpopRequired = new("dpop.required", 401, Unauthenticated, null, OAuthInvalidDpopProof);
    /// <summary>The DPoP proof is malformed, expired, replayed, or for another method, URL or token.</summary>
    public static readonly ErrorCode DpopInvalidProof = new("dpop.invalid_proof", 401, Unauthenticated, null, OAuthInvalidDpopProof);
    /// <summary>More than one DPoP proof was sent.</summary>
    public static readonly ErrorCode DpopMultipleProofs = new("dpop.multiple_proofs", 400, BadRequest, null, OAuthInvalidDpopProof);
    /// <summary>The proof is signed by a key the token is not bound to.</summary>
    public static readonly ErrorCode DpopKeyMismatch = new("dpop.key_mismatch", 401, Unauthenticated, null, OAuthInvalidDpopProof);
    /// <summary>An unbound token was presented under the <c>DPoP</c> scheme.</summary>
    public static readonly ErrorCode DpopUnboundToken = new("dpop.unbound_token", 401, Unauthenticated, null, OAuthInvalidRequest);

    /// <summary>The <c>token.*</c> code for an identity error code (<c>Mandate.Core.Identity.IdentityErrorCodes</c>, e.g. <c>expired</c>).</summary>
    public static ErrorCode ForTokenError(string identityCode) => Find("token." + identityCode) ?? TokenInternalError;

    private static ErrorCode Token(string rule) => new("token." + rule, 401, Unauthenticated, null, OAuthInvalidRequest);
}
