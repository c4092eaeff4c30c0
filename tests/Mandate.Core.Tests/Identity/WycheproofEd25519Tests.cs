using System.Text;
using System.Text.Json;
using Mandate.Core.Identity;
using Mandate.Core.Tests.Support;
using Xunit.Abstractions;

namespace Mandate.Core.Tests.Identity;

/// <summary>
/// Wycheproof's Ed25519 vectors against the EdDSA primitive the JWS path uses, with the public key read
/// from each group's JWK by the production key reader. (These vectors are raw messages, not JWS.)
/// </summary>
public sealed class WycheproofEd25519Tests(ITestOutputHelper output)
{
    [Fact]
    public void VerifyEd25519_WycheproofVectors_MatchExpectedResults()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(ConformanceData.PathOf("jose", "testvectors_v1", "ed25519_test.json")));
        var mismatches = new List<string>();
        int valid = 0, invalid = 0;
        foreach (var group in document.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            var jwks = Encoding.UTF8.GetBytes($$"""{"keys":[{{group.GetProperty("publicKeyJwk").GetRawText()}}]}""");
            Assert.True(JsonWebKeySetReader.TryRead(jwks, "sig", useRequired: false, out var keys, out _));
            var key = Assert.Single(keys.Keys);
            Assert.True(key.Fits("EdDSA"));

            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var expected = test.GetProperty("result").GetString() == "valid";
                var accepted = JwsVerifier.VerifyEd25519(
                    key.Ed25519PublicKey!,
                    Convert.FromHexString(test.GetProperty("msg").GetString()!),
                    Convert.FromHexString(test.GetProperty("sig").GetString()!));
                if (accepted != expected)
                {
                    mismatches.Add($"tc{test.GetProperty("tcId").GetInt32()} {test.GetProperty("comment").GetString()}: expected {(expected ? "valid" : "invalid")}");
                }
                if (expected) valid++; else invalid++;
            }
        }
        output.WriteLine($"{valid} valid, {invalid} invalid vectors; {mismatches.Count} mismatches");
        Assert.Empty(mismatches);
    }
}
