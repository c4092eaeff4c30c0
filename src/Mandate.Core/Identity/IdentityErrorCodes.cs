namespace Mandate.Core.Identity;

/// <summary>The stable codes an <see cref="IdentityError"/> carries. Never rename one: they reach audit records and clients.</summary>
public static class IdentityErrorCodes
{
    /// <summary>No credential was presented.</summary>
    public const string MissingToken = "missing_token";
    /// <summary>The token is larger than the configured limit; it was not parsed.</summary>
    public const string TokenTooLarge = "token_too_large";
    /// <summary>The token is not a well-formed compact JWS (segments, base64url, JSON).</summary>
    public const string Malformed = "malformed";
    /// <summary>The JOSE header or the payload repeats a JSON member name.</summary>
    public const string DuplicateJsonKey = "duplicate_json_key";
    /// <summary>The header's <c>alg</c> is not allowed, or does not fit the key.</summary>
    public const string AlgNotAllowed = "alg_not_allowed";
    /// <summary>The header names a key source (<c>jwk</c>, <c>jku</c>, <c>x5u</c>) that is never trusted.</summary>
    public const string UntrustedKeySource = "untrusted_key_source";
    /// <summary>The header's <c>crit</c> names an extension Mandate does not implement (it implements none).</summary>
    public const string UnsupportedCritical = "unsupported_crit";
    /// <summary>The header's <c>crit</c> breaks RFC 7515 §4.1.11: not a non-empty array of distinct names, a registered
    /// header name, or a name the header does not carry.</summary>
    public const string InvalidCritical = "invalid_crit";
    /// <summary>The header's <c>typ</c> is not a JWT type.</summary>
    public const string WrongType = "wrong_typ";
    /// <summary>The token's <c>iss</c> (or SPIFFE trust domain) is not configured.</summary>
    public const string UnknownIssuer = "unknown_issuer";
    /// <summary>No key of the issuer's key set matches the token's <c>kid</c>, even after a refresh.</summary>
    public const string UnknownKid = "unknown_kid";
    /// <summary>The signature does not verify.</summary>
    public const string BadSignature = "bad_signature";
    /// <summary>The token's <c>exp</c> has passed (beyond the clock skew).</summary>
    public const string Expired = "expired";
    /// <summary>The token's <c>nbf</c> lies in the future (beyond the clock skew).</summary>
    public const string NotYetValid = "not_yet_valid";
    /// <summary>The token's <c>iat</c> lies in the future (beyond the clock skew).</summary>
    public const string IssuedInFuture = "issued_in_future";
    /// <summary>The token's <c>iss</c> is not the expected issuer.</summary>
    public const string WrongIssuer = "wrong_issuer";
    /// <summary>The token's <c>aud</c> holds none of the accepted audiences.</summary>
    public const string WrongAudience = "wrong_audience";
    /// <summary>A required claim is absent or has the wrong JSON type.</summary>
    public const string MissingClaim = "missing_claim";
    /// <summary>A claim is present but its value is unusable (wrong type, bad shape).</summary>
    public const string InvalidClaim = "invalid_claim";
    /// <summary>The issuer's key set was never fetched successfully.</summary>
    public const string JwksUnavailable = "jwks_unavailable";
    /// <summary>The issuer's cached key set is older than its staleness bound and could not be refreshed.</summary>
    public const string JwksStale = "jwks_stale";
    /// <summary>A SPIFFE ID is malformed or belongs to another trust domain.</summary>
    public const string SpiffeIdInvalid = "spiffe_id_invalid";
    /// <summary>The client certificate is not a valid X.509-SVID of a configured trust domain.</summary>
    public const string CertificateInvalid = "certificate_invalid";
    /// <summary>An unexpected fault while identifying; the request is denied (fail closed).</summary>
    public const string InternalError = "internal_error";
}
