using System.Text.Json;
using Mandate.Core.Identity;

namespace Mandate.Core.Tests.Identity;

/// <summary>RFC 7515 §4.1.11 (<c>crit</c>): every rule refuses with its own code, and no message repeats the token's names.</summary>
public sealed class JwsCriticalHeaderTests
{
    private static readonly JwsVerificationPolicy Policy = new(
        new HashSet<string>(StringComparer.Ordinal) { "ES256" }, JwsVerificationPolicy.OidcTypes, 8192, JwsPayloadKind.JsonClaims);

    private static IdentityError? Check(string headerJson)
    {
        using var document = JsonDocument.Parse(headerJson);
        return JwsParser.CheckHeader(document.RootElement, Policy, out _, out _, out var error) ? null : error;
    }

    [Theory]
    [InlineData("""{"alg":"ES256","crit":[]}""")]
    [InlineData("""{"alg":"ES256","crit":"exp","exp":1}""")]
    [InlineData("""{"alg":"ES256","crit":{"exp":true},"exp":1}""")]
    [InlineData("""{"alg":"ES256","crit":null}""")]
    [InlineData("""{"alg":"ES256","crit":[1]}""")]
    [InlineData("""{"alg":"ES256","crit":[""],"":1}""")]
    [InlineData("""{"alg":"ES256","crit":["exp","exp"],"exp":1}""")]
    [InlineData("""{"alg":"ES256","crit":["alg"]}""")]
    [InlineData("""{"alg":"ES256","crit":["kid"],"kid":"k"}""")]
    [InlineData("""{"alg":"ES256","crit":["typ"],"typ":"JWT"}""")]
    [InlineData("""{"alg":"ES256","crit":["crit"]}""")]
    [InlineData("""{"alg":"ES256","crit":["x5t#S256"],"x5t#S256":"x"}""")]
    [InlineData("""{"alg":"ES256","crit":["enc"],"enc":"A128GCM"}""")]
    [InlineData("""{"alg":"ES256","crit":["absent-header"]}""")]
    [InlineData("""{"alg":"ES256","crit":["exp","absent-header"],"exp":1}""")]
    public void CheckHeader_CritBreakingRfc7515_FailsInvalidCrit(string header)
    {
        Assert.Equal(IdentityErrorCodes.InvalidCritical, Check(header)?.Code);
    }

    [Theory]
    [InlineData("""{"alg":"ES256","crit":["exp"],"exp":1363284000}""")]
    [InlineData("""{"alg":"ES256","crit":["b64"],"b64":false}""")]
    [InlineData("""{"alg":"ES256","crit":["b64"],"b64":true}""")]
    [InlineData("""{"alg":"ES256","crit":["http://example.invalid/ext","exp"],"http://example.invalid/ext":1,"exp":1}""")]
    public void CheckHeader_WellFormedCritOfAnyExtension_FailsUnsupportedCrit(string header)
    {
        Assert.Equal(IdentityErrorCodes.UnsupportedCritical, Check(header)?.Code);
    }

    [Fact]
    public void CheckHeader_NoCrit_Passes()
    {
        Assert.Null(Check("""{"alg":"ES256","typ":"JWT","kid":"k"}"""));
    }

    [Fact]
    public void CheckHeader_HostileNamesInCrit_AreNeverRepeatedInTheMessage()
    {
        const string hostile = "evil\\\"\\r\\nX-Injected: 1";
        foreach (var header in new[]
                 {
                     $$"""{"alg":"ES256","crit":["{{hostile}}"]}""",
                     $$"""{"alg":"ES256","crit":["{{hostile}}"],"{{hostile}}":1}""",
                 })
        {
            var error = Check(header);
            Assert.NotNull(error);
            Assert.DoesNotContain("evil", error!.Message);
            Assert.DoesNotContain("Injected", error.Message);
        }
    }

    [Theory]
    [InlineData("""{"alg":"HS256\"\r\nX-Injected: evil"}""")]
    [InlineData("""{"alg":"none-evil-alg"}""")]
    public void CheckHeader_RefusedAlg_IsNeverRepeatedInTheMessage(string header)
    {
        var error = Check(header.Replace("\r\n", "\\r\\n", StringComparison.Ordinal));
        Assert.Equal(IdentityErrorCodes.AlgNotAllowed, error?.Code);
        Assert.DoesNotContain("evil", error!.Message);
    }
}
