using System.Text;
using System.Text.RegularExpressions;
using Mandate.Server.Tests.Paths;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.EndToEnd;

/// <summary>
/// Unicode look-alikes of <c>. / \ %</c> and non-ASCII paths over real sockets: the look-alike set is derived from the
/// machine's Unicode data at test time. Each refusal asserts the status, the stable code, the audit record and that
/// the upstream received nothing.
/// </summary>
public sealed partial class UnicodePathTests : IClassFixture<GatewayFixture>
{
    private readonly GatewayFixture _gw;

    public UnicodePathTests(GatewayFixture gw)
    {
        _gw = gw;
        _gw.Upstream.Clear();
    }

    private Task<RawHttp.Answer> GetAsync(string target) =>
        RawHttp.SendAsync(_gw.DataPlane, "GET", target, "Authorization: Bearer " + _gw.Issuer.Mint("reader-bot"));

    private async Task AssertRefusedAsync(RawHttp.Answer answer, int status, string code)
    {
        Assert.Equal(status, answer.Status);
        Assert.Contains($"\"code\":\"{code}\"", answer.Body);
        var decisionId = DecisionId().Match(answer.Head).Groups[1].Value;
        var record = Assert.Single(await _gw.AuditAsync(), e => e.Event.DecisionId == decisionId && e.Event.Kind == "decision");
        Assert.Equal(code, record.Event.Details["code"]);
        Assert.Equal("deny", record.Event.Decision);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_EveryLookalikeEncoded_OnEveryKindOfRoute_400UnicodeLookalike()
    {
        foreach (var cp in UnicodePathTableTests.Lookalikes())
        {
            var encoded = UnicodeCanonicalPathTests.Encode(cp);
            foreach (var target in new[] { $"/tickets/{encoded}{encoded}", $"/names/a{encoded}b", $"/files/x/{encoded}/admin" })
            {
                await AssertRefusedAsync(await GetAsync(target), 400, "path.unicode_lookalike");
            }
        }
    }

    [Fact]
    public async Task Get_LookalikeRaw_400AndNothingForwarded()
    {
        // Raw non-ASCII in a request line is refused by Kestrel itself (its record: KestrelRefusalTests); still 400.
        foreach (var cp in UnicodePathTableTests.Lookalikes())
        {
            var raw = Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(cp)));
            var answer = await RawHttp.SendAsync(_gw.DataPlane, "GET", $"/names/{raw}{raw}", "Authorization: Bearer " + _gw.Issuer.Mint("reader-bot"));
            Assert.Equal(400, answer.Status);
            Assert.Empty(_gw.Upstream.Received);
        }
    }

    [Theory]
    [InlineData("/tickets/caf%C3%A9")]
    [InlineData("/tickets/%E4%B8%AD")]
    [InlineData("/files/a/%C3%A9")]
    [InlineData("/tickets/%E2%88%95")] // DIVISION SLASH: not an NFKC look-alike, still not ASCII
    public async Task Get_NonAsciiOnDefaultRoute_400NonAscii(string target)
    {
        await AssertRefusedAsync(await GetAsync(target), 400, "path.non_ascii");
    }

    [Theory]
    [InlineData("/names/%EF%BD%86%EF%BD%8F%EF%BD%8F")] // fullwidth "foo": a normalising backend reads "foo"
    [InlineData("/names/e%CC%81")]                     // decomposed é
    [InlineData("/names/%EF%AC%81le")]                 // ﬁ ligature
    [InlineData("/names/a%E2%80%8Bb")]                 // zero-width space
    [InlineData("/names/%C2%A0")]                      // no-break space
    public async Task Get_NonNfkcOnRouteAllowingNonAscii_400NotNormalized(string target)
    {
        await AssertRefusedAsync(await GetAsync(target), 400, "path.not_normalized");
    }

    [Theory]
    [InlineData("/names/caf%C3%A9", "/names/caf%C3%A9")]
    [InlineData("/names/caf%c3%a9", "/names/caf%C3%A9")]
    [InlineData("/names/%E4%B8%AD%E6%96%87", "/names/%E4%B8%AD%E6%96%87")]
    public async Task Get_NfkcNonAsciiOnRouteAllowingIt_ForwardsTheFormItDecidedOn(string target, string forwarded)
    {
        var answer = await GetAsync(target);

        Assert.Equal(200, answer.Status);
        Assert.Equal(forwarded, Assert.Single(_gw.Upstream.Received).RawTarget);
    }

    [GeneratedRegex("X-Mandate-Decision-Id: ([0-9a-f-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex DecisionId();
}
