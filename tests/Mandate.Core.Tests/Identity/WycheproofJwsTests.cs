using System.Text;
using System.Text.Json;
using Mandate.Core.Identity;
using Mandate.Core.Tests.Support;
using Xunit.Abstractions;

namespace Mandate.Core.Tests.Identity;

/// <summary>
/// Wycheproof's JSON Web Signature vectors through the production signature path
/// (<see cref="JwsParser"/> + <see cref="JwsVerifier"/> over a key set read by <see cref="JsonWebKeySetReader"/>).
/// The vectors' payloads are not claims (e.g. <c>foo</c>), so the payload is treated as opaque bytes; every
/// other rule is the production one.
/// </summary>
public sealed class WycheproofJwsTests(ITestOutputHelper output)
{
    private static readonly JwsVerificationPolicy Policy = new(
        JoseAlgorithms.Supported, JwsVerificationPolicy.OidcTypes, 8 * 1024, JwsPayloadKind.Opaque);

    [Fact]
    public void TryVerify_WycheproofJsonWebSignatureVectors_RejectsEveryInvalidCase()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(ConformanceData.PathOf("jose", "testvectors_v1", "json_web_signature_test.json")));
        var invalidRejected = 0;
        var invalidAccepted = new List<string>();
        var validAccepted = 0;
        var validRejected = new List<string>();
        var validRejectedUnexpectedly = new List<string>();

        foreach (var group in document.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            // Configure the key as production would: a JWKS holding the group's public key. HMAC groups have
            // only a symmetric key; production never loads those, so their key set is empty.
            var jwk = group.TryGetProperty("public", out var pub) ? pub : group.GetProperty("private");
            var jwks = Encoding.UTF8.GetBytes($$"""{"keys":[{{jwk.GetRawText()}}]}""");
            Assert.True(JsonWebKeySetReader.TryRead(jwks, "sig", useRequired: false, out var keys, out var readError), readError?.Message);

            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var id = $"tc{test.GetProperty("tcId").GetInt32()} {group.GetProperty("comment").GetString()}/{test.GetProperty("comment").GetString()}";
                var jwsElement = test.GetProperty("jws");
                // JSON serialization reaches us as the raw JSON text; we accept compact only.
                var token = jwsElement.ValueKind == JsonValueKind.String ? jwsElement.GetString()! : jwsElement.GetRawText();
                var valid = test.GetProperty("result").GetString() == "valid";

                var accepted = JwsVerifier.TryVerify(token, keys, Policy, out _, out var error);

                if (!valid)
                {
                    if (accepted)
                    {
                        invalidAccepted.Add(id);
                    }
                    else
                    {
                        invalidRejected++;
                    }
                    continue;
                }
                if (accepted)
                {
                    validAccepted++;
                    continue;
                }
                var reason = ByDesignReason(token, jwk);
                validRejected.Add($"{id}: {error!.Code} ({reason ?? "no by-design reason"})");
                if (reason is null)
                {
                    validRejectedUnexpectedly.Add($"{id}: {error}");
                }
            }
        }

        output.WriteLine($"invalid rejected: {invalidRejected}, invalid accepted: {invalidAccepted.Count}");
        output.WriteLine($"valid accepted: {validAccepted}, valid rejected: {validRejected.Count}");
        foreach (var line in validRejected)
        {
            output.WriteLine("  valid rejected " + line);
        }

        Assert.Empty(invalidAccepted);
        Assert.Empty(validRejectedUnexpectedly);
        Assert.True(invalidRejected > 300, $"only {invalidRejected} invalid cases ran");
        Assert.True(validAccepted >= 20, $"only {validAccepted} valid cases were accepted");
    }

    /// <summary>Why a valid vector is rejected on purpose, or null if it should have been accepted.</summary>
    private static string? ByDesignReason(string token, JsonElement jwk)
    {
        if (token.StartsWith('{'))
        {
            return "json serialization: compact only";
        }
        var parts = token.Split('.');
        if (parts.Any(p => !Base64UrlStrict.TryDecode(p, out _)))
        {
            return "a segment is not canonical base64url: lenient decoders skip stray characters, we do not";
        }
        var headerPart = parts[0];
        string? alg = null;
        if (Base64UrlStrictDecode(headerPart) is { } headerJson)
        {
            using var header = JsonDocument.Parse(headerJson);
            alg = header.RootElement.TryGetProperty("alg", out var a) ? a.GetString() : null;
        }
        if (alg is not null && alg.StartsWith("HS", StringComparison.Ordinal))
        {
            return "HMAC: production never accepts HS*";
        }
        if (alg is not null && jwk.TryGetProperty("alg", out var keyAlg) && keyAlg.GetString() != alg)
        {
            return $"the JWK is bound to {keyAlg.GetString()}, the token says {alg}";
        }
        return null;
    }

    private static byte[]? Base64UrlStrictDecode(string text)
    {
        try
        {
            return System.Buffers.Text.Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
