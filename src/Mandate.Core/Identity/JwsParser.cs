using System.Text.Json;

namespace Mandate.Core.Identity;

/// <summary>
/// Parses a compact JWS and applies every header rule before a key is chosen. The rules here are the
/// ones JOSE libraries tend to leave permissive; each is a separate, ordered check.
/// </summary>
internal static class JwsParser
{
    /// <summary>Parses <paramref name="token"/> under <paramref name="policy"/>.</summary>
    public static bool TryParse(string token, JwsVerificationPolicy policy, out ParsedJws? jws, out IdentityError? error)
    {
        jws = null;
        // Size first: nothing is decoded for an oversized token.
        if (token.Length > policy.MaxTokenBytes)
        {
            error = new IdentityError(IdentityErrorCodes.TokenTooLarge, $"the token is longer than {policy.MaxTokenBytes} bytes");
            return false;
        }
        if (token.Length == 0)
        {
            error = new IdentityError(IdentityErrorCodes.Malformed, "the token is empty");
            return false;
        }

        // Compact serialization only: exactly three segments. JSON serialization starts with '{' and fails here.
        var first = token.IndexOf('.');
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.IndexOf('.', second + 1) >= 0)
        {
            error = new IdentityError(IdentityErrorCodes.Malformed, "the token is not a compact JWS with a header, a payload and a signature");
            return false;
        }
        if (!Base64UrlStrict.TryDecode(token.AsSpan(0, first), out var headerBytes)
            || !Base64UrlStrict.TryDecode(token.AsSpan(first + 1, second - first - 1), out var payloadBytes)
            || !Base64UrlStrict.TryDecode(token.AsSpan(second + 1), out var signature))
        {
            error = new IdentityError(IdentityErrorCodes.Malformed, "a token segment is not canonical base64url");
            return false;
        }
        if (!StrictJson.TryParseObject(headerBytes, "header", out var header, out error))
        {
            return false;
        }
        if (!CheckHeader(header, policy, out var alg, out var kid, out error))
        {
            return false;
        }

        // Checked after the header so that `alg: none` with its empty signature is reported as what it is.
        if (signature.Length == 0)
        {
            error = new IdentityError(IdentityErrorCodes.Malformed, "the token has no signature");
            return false;
        }

        var claims = default(JsonElement);
        if (policy.Payload == JwsPayloadKind.JsonClaims && !StrictJson.TryParseObject(payloadBytes, "payload", out claims, out error))
        {
            return false;
        }

        jws = new ParsedJws(token, header, alg, kid, claims, second, signature);
        error = null;
        return true;
    }

    /// <summary>The header rules alone (alg allow-list, key sources, crit per RFC 7515 §4.1.11, b64, typ, kid); also re-run per issuer after routing.</summary>
    internal static bool CheckHeader(JsonElement header, JwsVerificationPolicy policy, out string alg, out string? kid, out IdentityError? error)
    {
        alg = "";
        kid = null;
        if (!header.TryGetProperty("alg", out var algElement) || algElement.ValueKind != JsonValueKind.String)
        {
            error = new IdentityError(IdentityErrorCodes.Malformed, "the header has no string `alg`");
            return false;
        }
        alg = algElement.GetString()!;
        // INVARIANT: only asymmetric algorithms reach a key; `none` and HS* are never in an allow-list.
        if (!policy.AllowedAlgorithms.Contains(alg) || !JoseAlgorithms.Supported.Contains(alg))
        {
            // The caller's `alg` is never repeated back: it is the caller's text (docs/errors.md, "never echoed").
            error = new IdentityError(IdentityErrorCodes.AlgNotAllowed, "the header's `alg` is not an allowed algorithm");
            return false;
        }

        // Keys come only from configured key sets; a token naming its own key is an attack or a misconfiguration.
        foreach (var name in (string[])["jwk", "jku", "x5u"])
        {
            if (header.TryGetProperty(name, out _))
            {
                error = new IdentityError(IdentityErrorCodes.UntrustedKeySource, $"the header names its own key (`{name}`), which is never trusted");
                return false;
            }
        }

        if (header.TryGetProperty("crit", out var crit) && !JwsCriticalHeader.TryCheck(header, crit, out error))
        {
            return false;
        }

        // RFC 7797 `b64: false` changes what is signed; it is only meaningful with `crit`, which is refused above.
        if (header.TryGetProperty("b64", out var b64) && b64.ValueKind != JsonValueKind.True)
        {
            error = new IdentityError(IdentityErrorCodes.Malformed, "the header carries an unsupported `b64`");
            return false;
        }

        if (header.TryGetProperty("typ", out var typ))
        {
            var value = typ.ValueKind == JsonValueKind.String ? typ.GetString()! : null;
            if (value is not null && value.StartsWith("application/", StringComparison.OrdinalIgnoreCase))
            {
                value = value["application/".Length..];
            }
            if (value is null || !policy.AcceptedTypes.Contains(value))
            {
                error = new IdentityError(IdentityErrorCodes.WrongType, "the header's `typ` is not a JWT type");
                return false;
            }
        }

        if (header.TryGetProperty("kid", out var kidElement))
        {
            if (kidElement.ValueKind != JsonValueKind.String)
            {
                error = new IdentityError(IdentityErrorCodes.Malformed, "the header's `kid` is not a string");
                return false;
            }
            kid = kidElement.GetString();
        }
        error = null;
        return true;
    }
}
