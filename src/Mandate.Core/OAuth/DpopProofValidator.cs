using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mandate.Core.Identity;

namespace Mandate.Core.OAuth;

/// <summary>
/// Checks a DPoP proof (RFC 9449 §4.3) for one HTTP request. Ordered checks: one compact JWS; header
/// <c>typ: dpop+jwt</c>, an allow-listed asymmetric <c>alg</c>, an embedded public <c>jwk</c> (private members
/// refused); the signature by that key; claims <c>htm</c> = the request method, <c>htu</c> = the request URL without
/// query and fragment (scheme and host compared case-insensitively, default ports made explicit), <c>iat</c>
/// within the window, <c>jti</c> not seen before (<see cref="DpopReplayCache"/>), and, when an access token is
/// presented with the proof, <c>ath</c> = base64url(SHA-256(token)).
/// </summary>
/// <remarks>
/// The signature goes through the same verifier as every other JWS in Mandate (IdentityModel for EC/RSA,
/// libsodium for Ed25519); the key is read by the same JWK reader (curve points checked, RSA ≥ 2048 bits).
/// </remarks>
public sealed class DpopProofValidator
{
    /// <summary>Algorithms a proof may use.</summary>
    public static readonly IReadOnlySet<string> Algorithms = new HashSet<string>(StringComparer.Ordinal) { "ES256", "EdDSA", "RS256", "PS256" };

    /// <summary>Largest proof accepted (bytes).</summary>
    public const int MaxProofLength = 8 * 1024;

    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];
    private readonly DpopReplayCache _replay;
    private readonly TimeProvider _time;

    /// <summary>Creates a validator.</summary>
    /// <param name="replay">Where proof ids are remembered; its retention should be at least twice <paramref name="window"/>.</param>
    /// <param name="window">How far a proof's <c>iat</c> may lie from now, either way.</param>
    /// <param name="time">Clock.</param>
    public DpopProofValidator(DpopReplayCache replay, TimeSpan window, TimeProvider time)
    {
        _replay = replay;
        Window = window;
        _time = time;
    }

    /// <summary>How far a proof's <c>iat</c> may lie from now, either way.</summary>
    public TimeSpan Window { get; }

    /// <summary>Checks <paramref name="proof"/> for a request.</summary>
    /// <param name="proof">The <c>DPoP</c> header's value.</param>
    /// <param name="method">The request's real method.</param>
    /// <param name="requestUrl">The request URL as this server received it (the query and fragment are ignored).</param>
    /// <param name="accessToken">The access token presented with the proof, or null at the token endpoint.</param>
    public DpopCheck Validate(string? proof, string method, Uri requestUrl, string? accessToken)
    {
        try
        {
            return ValidateCore(proof, method, requestUrl, accessToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Fail closed: a fault while checking is a refusal.
            return DpopCheck.Invalid($"the proof could not be checked ({ex.GetType().Name})");
        }
    }

    private DpopCheck ValidateCore(string? proof, string method, Uri requestUrl, string? accessToken)
    {
        if (string.IsNullOrEmpty(proof))
        {
            return DpopCheck.Invalid("a DPoP proof is required");
        }
        if (proof.Length > MaxProofLength)
        {
            return DpopCheck.Invalid("the proof is too large");
        }
        var first = proof.IndexOf('.');
        var second = first < 0 ? -1 : proof.IndexOf('.', first + 1);
        if (first <= 0 || second < 0 || proof.IndexOf('.', second + 1) >= 0)
        {
            return DpopCheck.Invalid("the proof is not a compact jws");
        }
        if (!Base64UrlStrict.TryDecode(proof.AsSpan(0, first), out var headerBytes)
            || !Base64UrlStrict.TryDecode(proof.AsSpan(first + 1, second - first - 1), out var payloadBytes)
            || !Base64UrlStrict.TryDecode(proof.AsSpan(second + 1), out var signature)
            || signature.Length == 0)
        {
            return DpopCheck.Invalid("a proof segment is not canonical base64url");
        }
        if (!StrictJson.TryParseObject(headerBytes, "proof header", out var header, out var jsonError)
            || !StrictJson.TryParseObject(payloadBytes, "proof payload", out var claims, out jsonError))
        {
            return DpopCheck.Invalid(jsonError!.Message);
        }

        if (String(header, "typ") != "dpop+jwt")
        {
            return DpopCheck.Invalid("the proof's `typ` must be dpop+jwt");
        }
        if (String(header, "alg") is not { } alg || !Algorithms.Contains(alg))
        {
            return DpopCheck.Invalid("the proof's `alg` is not allowed");
        }
        if (header.TryGetProperty("crit", out _))
        {
            return DpopCheck.Invalid("the proof carries critical extensions, none of which are supported");
        }
        if (!header.TryGetProperty("jwk", out var jwk) || jwk.ValueKind != JsonValueKind.Object)
        {
            return DpopCheck.Invalid("the proof's header has no `jwk`");
        }
        foreach (var name in PrivateMembers)
        {
            if (jwk.TryGetProperty(name, out _))
            {
                return DpopCheck.Invalid("the proof's `jwk` holds private key material");
            }
        }
        if (JsonWebKeySetReader.TryReadKey(jwk, "sig") is not { } key || !key.Fits(alg))
        {
            return DpopCheck.Invalid("the proof's `jwk` is not a usable public key for its `alg`");
        }
        var parsed = new ParsedJws(proof, header, alg, null, claims, second, signature);
        var anonymous = key with { KeyId = null };
        if (!JwsVerifier.TryVerifySignature(parsed, new VerificationKeySet([anonymous]), out _, out _))
        {
            return DpopCheck.Invalid("the proof's signature does not verify with its `jwk`");
        }

        if (String(claims, "htm") is not { } htm || !string.Equals(htm, method, StringComparison.Ordinal))
        {
            return DpopCheck.Invalid("the proof's `htm` does not match the request method");
        }
        if (String(claims, "htu") is not { } htu || !SameTarget(htu, requestUrl))
        {
            return DpopCheck.Invalid("the proof's `htu` does not match the request url");
        }
        if (!claims.TryGetProperty("iat", out var iatElement) || iatElement.ValueKind != JsonValueKind.Number || !iatElement.TryGetInt64(out var iat))
        {
            return DpopCheck.Invalid("the proof has no numeric `iat`");
        }
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - iat) > (long)Window.TotalSeconds)
        {
            return DpopCheck.Invalid("the proof's `iat` is outside the accepted window");
        }
        if (String(claims, "jti") is not { Length: > 0 and <= 256 } jti)
        {
            return DpopCheck.Invalid("the proof has no `jti`");
        }
        if (accessToken is not null)
        {
            var expected = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
            if (String(claims, "ath") is not { } ath || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ath), Encoding.ASCII.GetBytes(expected)))
            {
                return DpopCheck.Invalid("the proof's `ath` does not match the access token");
            }
        }

        var thumbprint = JwkThumbprint.Compute(jwk);
        if (thumbprint is null)
        {
            return DpopCheck.Invalid("the proof's `jwk` has no thumbprint");
        }
        // Last, so only a proof that passed every other rule uses up its id.
        if (!_replay.TryAdd(thumbprint + " " + jti))
        {
            return DpopCheck.Invalid("the proof's `jti` was already used");
        }
        return DpopCheck.Valid(thumbprint);
    }

    /// <summary>RFC 9449 §4.3 step 9: compare without query and fragment, after RFC 3986 §6.2.2/§6.2.3 normalisation.</summary>
    internal static bool SameTarget(string htu, Uri requestUrl)
    {
        if (!Uri.TryCreate(htu, UriKind.Absolute, out var claimed) || (claimed.Scheme != Uri.UriSchemeHttp && claimed.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }
        // Uri lower-cases scheme and host and knows default ports; the path is compared exactly as sent.
        return claimed.Scheme == requestUrl.Scheme
            && string.Equals(claimed.IdnHost, requestUrl.IdnHost, StringComparison.OrdinalIgnoreCase)
            && claimed.Port == requestUrl.Port
            && string.Equals(claimed.AbsolutePath, requestUrl.AbsolutePath, StringComparison.Ordinal);
    }

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
