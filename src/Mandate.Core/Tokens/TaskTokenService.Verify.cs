using Mandate.Core.Errors;
using System.Text;
using System.Text.Json;
using Mandate.Core.Identity;

namespace Mandate.Core.Tokens;

public sealed partial class TaskTokenService
{
    private static readonly JwsVerificationPolicy TaskTokenPolicy = new(
        new HashSet<string>(StringComparer.Ordinal) { "ES256" },
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { TaskTokenClaims.AccessTokenType },
        int.MaxValue,
        JwsPayloadKind.JsonClaims);

    /// <summary>
    /// Checks a presented task token at <paramref name="now"/>, in memory only. In order: compact JWS with
    /// <c>typ: at+jwt</c> and ES256 (else <see cref="ErrorCatalogue.TokenNotTaskToken"/>), a kid of ours, the signature,
    /// <c>iss</c>, <c>exp</c>/<c>iat</c> with <see cref="TaskTokenOptions.ClockSkew"/>, the record by <c>jti</c>,
    /// the claims against the record (<c>act</c> must be the recorded chain), revocation (O(1) lookups per chain
    /// member), then every ancestor hop by hop.
    /// </summary>
    /// <remarks>
    /// Fast path: the SHA-256 of the exact text of every issued token is on its record, so a token whose digest is
    /// known is byte-for-byte one this service signed, with exactly the recorded claims; the signature and the claims
    /// need no second look, and only what changes with time is checked (the signing key still published, expiry,
    /// revocation, the chain). Any other text takes the full path above, which also names what is wrong with it.
    /// </remarks>
    public TokenCheck Verify(string jwt, DateTimeOffset now)
    {
        if (jwt.Length > Options.MaxTokenLength)
        {
            return TokenCheck.Failure(ErrorCatalogue.TokenMalformed, $"the token is longer than {Options.MaxTokenLength} characters");
        }
        if (_registry.FindByDigest(TaskTokenDigests.Of(jwt)) is { } known)
        {
            if (Keys.Find(known.KeyId, now) is null)
            {
                return TokenCheck.Failure(ErrorCatalogue.TokenNotTaskToken, "not a task token: its signing key is no longer published");
            }
            if (now >= known.ExpiresAt + Options.ClockSkew)
            {
                return TokenCheck.Failure(ErrorCatalogue.TokenExpired, "the token has expired");
            }
            return CheckStanding(known, now);
        }
        return VerifyUnrecognised(jwt, now);
    }

    private TokenCheck CheckStanding(TaskTokenRecord record, DateTimeOffset now)
    {
        if (_registry.RevokedBecause(record) is { } why)
        {
            return TokenCheck.Failure(ErrorCatalogue.TokenRevoked, why);
        }
        if (_registry.CheckAncestry(record, now - Options.ClockSkew, Options.MaxDepth) is { } chainError)
        {
            return TokenCheck.Failure(chainError.Code, chainError.Description);
        }
        return TokenCheck.Success(record.ToPrincipal());
    }

    private TokenCheck VerifyUnrecognised(string jwt, DateTimeOffset now)
    {
        if (!JwsParser.TryParse(jwt, TaskTokenPolicy, out var jws, out var parseError))
        {
            return parseError!.Code is IdentityErrorCodes.WrongType or IdentityErrorCodes.AlgNotAllowed or IdentityErrorCodes.UntrustedKeySource
                ? TokenCheck.Failure(ErrorCatalogue.TokenNotTaskToken, "not a task token: " + parseError.Message)
                : TokenCheck.Failure(ErrorCatalogue.TokenMalformed, parseError.Message);
        }
        // The parser accepts a missing typ (OIDC tokens often lack it); a task token always has it.
        if (!jws!.Header.TryGetProperty("typ", out _))
        {
            return TokenCheck.Failure(ErrorCatalogue.TokenNotTaskToken, "not a task token: the header has no `typ: at+jwt`");
        }
        if (jws.KeyId is null || Keys.Find(jws.KeyId, now) is not { } key)
        {
            return TokenCheck.Failure(ErrorCatalogue.TokenNotTaskToken, "not a task token: it is not signed by a key of this issuer");
        }
        var signingInput = Encoding.ASCII.GetBytes(jwt, 0, jws.SigningInputLength);
        if (!key.Verify(signingInput, jws.Signature))
        {
            return TokenCheck.Failure(ErrorCatalogue.TokenBadSignature, "the signature does not verify");
        }
        var claims = jws.Claims;
        if (!IsString(claims, "iss", Options.Issuer))
        {
            return TokenCheck.Failure(ErrorCatalogue.TokenNotTaskToken, "not a task token: the issuer is not this one");
        }
        if (!claims.TryGetProperty("exp", out var expElement) || !expElement.TryGetInt64(out var exp)
            || !claims.TryGetProperty("iat", out var iatElement) || !iatElement.TryGetInt64(out var iat))
        {
            return TokenCheck.Failure(ErrorCatalogue.TokenMalformed, "the token lacks a numeric `exp` or `iat`");
        }
        var nowSeconds = now.ToUnixTimeSeconds();
        var skew = (long)Options.ClockSkew.TotalSeconds;
        if (nowSeconds >= exp + skew)
        {
            return TokenCheck.Failure(ErrorCatalogue.TokenExpired, "the token has expired");
        }
        if (iat > nowSeconds + skew)
        {
            return TokenCheck.Failure(ErrorCatalogue.TokenNotYetValid, "the token is issued in the future");
        }
        if (!claims.TryGetProperty("jti", out var jtiElement) || jtiElement.ValueKind != JsonValueKind.String)
        {
            return TokenCheck.Failure(ErrorCatalogue.TokenMalformed, "the token has no `jti`");
        }
        var jti = jtiElement.GetString()!;
        if (_registry.Find(jti) is not { } record)
        {
            return TokenCheck.Failure(ErrorCatalogue.TokenUnknown, "no task token with this `jti` is on record");
        }
        if (ClaimsMismatch(claims, record, key.KeyId, exp) is { } mismatch)
        {
            return TokenCheck.Failure(ErrorCatalogue.TokenClaimsMismatch, mismatch);
        }
        return CheckStanding(record, now);
    }

    private static string? ClaimsMismatch(JsonElement claims, TaskTokenRecord record, string kid, long exp)
    {
        if (record.KeyId != kid)
        {
            return "the token was not signed by the key on record";
        }
        if (exp != record.ExpiresAt.ToUnixTimeSeconds())
        {
            return "`exp` differs from the record";
        }
        if (!IsString(claims, "sid", record.SessionId) || !IsString(claims, "client_id", record.ClientId)
            || !IsString(claims, "sub", record.UserId ?? record.Chain[0]))
        {
            return "`sub`, `sid` or `client_id` differs from the record";
        }
        if (!claims.TryGetProperty("act", out var act) || !TaskTokenClaims.ActMatches(act, record.Chain))
        {
            return "`act` is not the delegation chain on record";
        }
        var hasCnf = claims.TryGetProperty("cnf", out var cnf);
        if (record.Jkt is null ? hasCnf : !(hasCnf && cnf.ValueKind == JsonValueKind.Object && IsString(cnf, "jkt", record.Jkt)))
        {
            return "`cnf` differs from the record";
        }
        return null;
    }

    private static bool IsString(JsonElement obj, string name, string expected) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.ValueEquals(expected);
}
