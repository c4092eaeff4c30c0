using System.Text.Json;

namespace Mandate.Core.Identity;

/// <summary>What a verified JWT's registered claims must satisfy.</summary>
/// <param name="Issuer">The exact <c>iss</c> required, or null when <c>iss</c> is not checked (JWT-SVIDs: <c>iss</c> is optional).</param>
/// <param name="Audiences">The token's <c>aud</c> must contain at least one of these.</param>
/// <param name="ClockSkew">Tolerance for <c>exp</c>, <c>nbf</c> and <c>iat</c>.</param>
internal sealed record JwtClaimRules(string? Issuer, IReadOnlyList<string> Audiences, TimeSpan ClockSkew)
{
    /// <summary>Checks <c>iss</c>, <c>aud</c>, <c>exp</c> (required), <c>nbf</c> and <c>iat</c> (when present) at <paramref name="now"/>.</summary>
    public bool TryValidate(JsonElement claims, DateTimeOffset now, out DateTimeOffset expiresAt, out IdentityError? error)
    {
        expiresAt = default;
        if (Issuer is not null)
        {
            if (!claims.TryGetProperty("iss", out var iss) || iss.ValueKind != JsonValueKind.String)
            {
                error = Missing("iss");
                return false;
            }
            if (iss.GetString() != Issuer)
            {
                error = new IdentityError(IdentityErrorCodes.WrongIssuer, "the token's `iss` is not the expected issuer");
                return false;
            }
        }

        if (!claims.TryGetProperty("aud", out var aud))
        {
            error = Missing("aud");
            return false;
        }
        if (!AudienceMatches(aud, out error))
        {
            return false;
        }

        if (!TryReadTime(claims, "exp", required: true, out var exp, out error))
        {
            return false;
        }
        if (now > exp!.Value + ClockSkew)
        {
            error = new IdentityError(IdentityErrorCodes.Expired, "the token has expired");
            return false;
        }
        if (!TryReadTime(claims, "nbf", required: false, out var nbf, out error))
        {
            return false;
        }
        if (nbf is { } notBefore && notBefore > now + ClockSkew)
        {
            error = new IdentityError(IdentityErrorCodes.NotYetValid, "the token is not valid yet (`nbf`)");
            return false;
        }
        if (!TryReadTime(claims, "iat", required: false, out var iat, out error))
        {
            return false;
        }
        if (iat is { } issuedAt && issuedAt > now + ClockSkew)
        {
            error = new IdentityError(IdentityErrorCodes.IssuedInFuture, "the token claims to be issued in the future (`iat`)");
            return false;
        }
        expiresAt = exp.Value;
        error = null;
        return true;
    }

    private bool AudienceMatches(JsonElement aud, out IdentityError? error)
    {
        error = null;
        switch (aud.ValueKind)
        {
            case JsonValueKind.String:
                if (Audiences.Contains(aud.GetString()!, StringComparer.Ordinal))
                {
                    return true;
                }
                break;
            case JsonValueKind.Array:
                var any = false;
                foreach (var item in aud.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        error = new IdentityError(IdentityErrorCodes.InvalidClaim, "the token's `aud` holds a non-string");
                        return false;
                    }
                    any |= Audiences.Contains(item.GetString()!, StringComparer.Ordinal);
                }
                if (any)
                {
                    return true;
                }
                break;
            default:
                error = new IdentityError(IdentityErrorCodes.InvalidClaim, "the token's `aud` is neither a string nor an array");
                return false;
        }
        error = new IdentityError(IdentityErrorCodes.WrongAudience, "the token's `aud` names no accepted audience");
        return false;
    }

    /// <summary>Reads a NumericDate (seconds since the epoch, possibly fractional).</summary>
    internal static bool TryReadTime(JsonElement claims, string name, bool required, out DateTimeOffset? value, out IdentityError? error)
    {
        value = null;
        error = null;
        if (!claims.TryGetProperty(name, out var element))
        {
            if (required)
            {
                error = Missing(name);
                return false;
            }
            return true;
        }
        // Bounds keep the conversion exact and inside DateTimeOffset's range (year 1970 to 9999).
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var seconds)
            || !double.IsFinite(seconds) || seconds < 0 || seconds > 253_402_300_799d)
        {
            error = new IdentityError(IdentityErrorCodes.InvalidClaim, $"the token's `{name}` is not a NumericDate");
            return false;
        }
        value = DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    private static IdentityError Missing(string name) =>
        new(IdentityErrorCodes.MissingClaim, $"the token has no `{name}` claim");
}
