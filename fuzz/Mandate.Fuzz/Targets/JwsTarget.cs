using System.Text;
using System.Text.Json;
using Mandate.Core.Identity;
using Microsoft.IdentityModel.Tokens;

namespace Mandate.Fuzz.Targets;

/// <summary>
/// The JWS reader and the signature check (<see cref="JwsParser"/>, <see cref="JwsVerifier"/>) against a fixed
/// trusted key set. The input is the token as it arrives in an <c>Authorization</c> header (bytes as Latin-1).
/// </summary>
/// <remarks>
/// Expected failure: <c>false</c> with an <see cref="IdentityError"/> whose code is one of
/// <see cref="IdentityErrorCodes"/>. Findings: any exception; an accepted token whose algorithm is outside the
/// allow-list, whose segments are not canonical base64url, or whose signing input is not <c>header.payload</c>;
/// a signature that verifies over anything but a seed's exact signing input.
/// </remarks>
public sealed class JwsTarget : FuzzTarget
{
    private static readonly VerificationKeySet Keys = ReadKeys();

    private static readonly JwsVerificationPolicy Claims = new(
        new HashSet<string>(JoseAlgorithms.DefaultAllowed, StringComparer.Ordinal), JwsVerificationPolicy.OidcTypes, 8 * 1024, JwsPayloadKind.JsonClaims);

    // Every supported algorithm and opaque payloads: the rules the Wycheproof suite runs under.
    private static readonly JwsVerificationPolicy Opaque = new(
        JoseAlgorithms.Supported, JwsVerificationPolicy.SpiffeTypes, 8 * 1024, JwsPayloadKind.Opaque);

    private static readonly HashSet<string> KnownCodes = typeof(IdentityErrorCodes)
        .GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);

    /// <inheritdoc />
    public override string Name => "jws";

    /// <inheritdoc />
    public override string Description => "compact JWS reader + signature check; findings: exceptions, accepted non-canonical or disallowed tokens";

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> input)
    {
        var token = Encoding.Latin1.GetString(input);
        Once(token, Claims);
        Once(token, Opaque);
    }

    private static void Once(string token, JwsVerificationPolicy policy)
    {
        var parsed = JwsParser.TryParse(token, policy, out var jws, out var error);
        if (!parsed)
        {
            Check(jws is null && error is not null && KnownCodes.Contains(error.Code), "a refused token comes with a known identity error code");
            return;
        }

        Check(jws is not null && error is null, "an accepted token has no error");
        Check(policy.AllowedAlgorithms.Contains(jws!.Algorithm), "an accepted token's alg is in the allow-list");
        var parts = token.Split('.');
        Check(parts.Length == 3 && parts.All(IsCanonicalBase64Url), "an accepted token is three canonical base64url segments");
        Check(jws.SigningInputLength == parts[0].Length + 1 + parts[1].Length, "the signing input is exactly header.payload");
        Check(jws.Signature.Length > 0 && Base64UrlEncoder.Encode(jws.Signature) == parts[2], "the signature is the third segment, decoded");
        Check(policy.Payload != JwsPayloadKind.JsonClaims || jws.Claims.ValueKind == JsonValueKind.Object, "claims are a json object");

        var verified = JwsVerifier.TryVerifySignature(jws, Keys, out var key, out var verifyError);
        Check(verified == (key is not null) && verified == (verifyError is null), "a verification gives a key or an error");
        Check(verified || KnownCodes.Contains(verifyError!.Code), "a failed verification has a known identity error code");
        if (verified)
        {
            Check(jws.KeyId is null || jws.KeyId == key!.KeyId, "the key that verified has the token's kid");
            Check(key!.Fits(jws.Algorithm), "the key that verified fits the token's alg");
        }
    }

    private static bool IsCanonicalBase64Url(string segment)
    {
        try
        {
            return Base64UrlEncoder.Encode(Base64UrlEncoder.DecodeBytes(segment)) == segment;
        }
        catch (Exception)
        {
            // The oracle is IdentityModel's decoder, not the product's: any refusal of it means "not canonical".
            return false;
        }
    }

    private static VerificationKeySet ReadKeys()
    {
        if (!JsonWebKeySetReader.TryRead(JwsFuzzKeys.PublicJwks(), "sig", useRequired: false, out var keys, out var error) || keys.Keys.Count != 3)
        {
            throw new InvalidOperationException($"the fuzz key set does not load: {error}");
        }

        return keys;
    }
}
