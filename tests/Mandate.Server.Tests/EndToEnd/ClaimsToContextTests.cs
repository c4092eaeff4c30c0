using System.Net;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.EndToEnd;

/// <summary>
/// <c>identity.oidc[].claimsToContext</c>: named claims of the verified token reach Cedar as <c>context.claims</c>
/// (String, Long, Bool, Set&lt;String&gt;); other shapes are left out, so a policy's <c>has</c> answers false.
/// </summary>
public sealed class ClaimsToContextTests : IAsyncLifetime
{
    private readonly GatewayFixture _gw = new()
    {
        EditConfig = text => text.Replace("      audiences: [mandate]\n", "      audiences: [mandate]\n      claimsToContext: [department, clearance, groups, on_call]\n"),
        PrepareFiles = async dir =>
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "schema.cedarschema"), GatewayFiles.Schema.Replace(
                "now: datetime };",
                "now: datetime, claims?: { department?: String, clearance?: Long, groups?: Set<String>, on_call?: Bool } };"));
            await File.AppendAllTextAsync(Path.Combine(dir, "policies", "main.cedar"), """

                @id("finance-on-call-writes")
                permit (principal, action == Mandate::Action::"write", resource in Mandate::Api::"tickets")
                when {
                  context has claims &&
                  context.claims has department && context.claims.department == "finance" &&
                  context.claims has clearance && context.claims.clearance >= 3 &&
                  context.claims has groups && context.claims.groups.contains("payments") &&
                  context.claims has on_call && context.claims.on_call
                };
                """);
        },
    };

    public Task InitializeAsync() => _gw.InitializeAsync();

    public Task DisposeAsync() => _gw.DisposeAsync();

    private static Dictionary<string, object> Claims(object department, long clearance = 3, bool onCall = true) => new()
    {
        ["department"] = department,
        ["clearance"] = clearance,
        ["groups"] = new[] { "support", "payments" },
        ["on_call"] = onCall,
    };

    [Fact]
    public async Task Delete_ClaimsSatisfyPolicy_Forwards()
    {
        // reader-bot has trust 1, so only the claims policy can permit the write.
        using var response = await _gw.SendAsync(HttpMethod.Delete, "/tickets/9", _gw.Issuer.Mint("reader-bot", extraClaims: Claims("finance")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_gw.Upstream.Received);
        Assert.Equal(("DELETE", "/tickets/9"), (received.Method, received.RawTarget));
    }

    [Theory]
    [InlineData("sales", 3, true)]
    [InlineData("finance", 2, true)]
    [InlineData("finance", 3, false)]
    public async Task Delete_ClaimsMissPolicy_Returns403AndForwardsNothing(string department, long clearance, bool onCall)
    {
        using var response = await _gw.SendAsync(HttpMethod.Delete, "/tickets/9", _gw.Issuer.Mint("reader-bot", extraClaims: Claims(department, clearance, onCall)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Delete_ClaimOfUncarriedShape_IsLeftOutAndDenies()
    {
        // An object-valued `department` has no carried shape: `context.claims has department` is false.
        using var response = await _gw.SendAsync(HttpMethod.Delete, "/tickets/9", _gw.Issuer.Mint("reader-bot", extraClaims: Claims(new { name = "finance" })));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Delete_ClaimsNotListed_AreNotInContext()
    {
        // `team` is not in claimsToContext; a token carrying only it cannot satisfy the claims policy.
        var extra = new Dictionary<string, object> { ["team"] = "finance" };
        using var response = await _gw.SendAsync(HttpMethod.Delete, "/tickets/9", _gw.Issuer.Mint("reader-bot", extraClaims: extra));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }
}
