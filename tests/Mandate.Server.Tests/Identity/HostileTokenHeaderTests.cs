using System.Text;
using System.Text.RegularExpressions;
using Mandate.Server.Tests.Support;
using Mandate.Server.Tests.Tokens;

namespace Mandate.Server.Tests.Identity;

/// <summary>
/// Tokens whose JOSE header or issuer carries attacker-chosen text (quotes, CR LF, header lines, markup, long runs),
/// sent raw over TCP to every front. Each answer must be the rule's stable code and must repeat none of that text —
/// not in the status line, not in a header (<c>WWW-Authenticate</c> included), not in the body — and each refusal is
/// recorded with its code while the upstream receives nothing.
/// </summary>
public sealed partial class HostileTokenHeaderTests : IClassFixture<TokenGatewayFixture>
{
    // Every hostile value holds "EVIL", which no answer may contain in any letter case.
    private const string Marker = "EVIL";
    private static readonly string Long = new('E', 700);
    private readonly TokenGatewayFixture _gw;

    public HostileTokenHeaderTests(TokenGatewayFixture gw)
    {
        _gw = gw;
        _gw.Upstream.Clear();
    }

    /// <summary>A hostile header member or issuer, and the code the rule it breaks answers with.</summary>
    public static TheoryData<string, string> Cases() => new()
    {
        { "kid", "token.unknown_kid" },
        { "alg", "token.alg_not_allowed" },
        { "typ", "token.wrong_typ" },
        { "iss", "token.unknown_issuer" },
        { "crit-empty", "token.invalid_crit" },
        { "crit-registered", "token.invalid_crit" },
        { "crit-absent", "token.invalid_crit" },
        { "crit-extension", "token.unsupported_crit" },
    };

    private static string Hostile(string what) => $"{Marker}-{what}\"\r\nX-Injected: {Marker}\r\n\r\n<script>{Marker}</script>\\{Long}";

    private string Token(string kind)
    {
        var value = Hostile(kind);
        return kind switch
        {
            "kid" => _gw.Agents.Mint("agent-a", header: new Dictionary<string, object> { ["kid"] = value }),
            "alg" => _gw.Agents.Mint("agent-a", header: new Dictionary<string, object> { ["alg"] = value }),
            "typ" => _gw.Agents.Mint("agent-a", header: new Dictionary<string, object> { ["typ"] = value }),
            "iss" => _gw.Agents.Mint("agent-a", extraClaims: new Dictionary<string, object> { ["iss"] = value }),
            "crit-empty" => _gw.Agents.Mint("agent-a", header: new Dictionary<string, object> { ["crit"] = Array.Empty<string>() }),
            "crit-registered" => _gw.Agents.Mint("agent-a", header: new Dictionary<string, object> { ["crit"] = new[] { "kid" } }),
            "crit-absent" => _gw.Agents.Mint("agent-a", header: new Dictionary<string, object> { ["crit"] = new[] { value } }),
            "crit-extension" => _gw.Agents.Mint("agent-a", header: new Dictionary<string, object> { ["crit"] = new[] { value }, [value] = 1 }),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HttpFront_HostileToken_401WithCodeEchoesNothingAndIsRecorded(string kind, string code)
    {
        var answer = await RawHttp.SendAsync(_gw.DataPlane, "GET", "/tickets/1", "Authorization: Bearer " + Token(kind));

        Assert.Equal(401, answer.Status);
        Assert.Contains($"\"code\":\"{code}\"", answer.Body);
        Assert.Contains("WWW-Authenticate: Bearer realm=\"mandate\", error=\"invalid_token\"", answer.Head);
        AssertEchoesNothing(answer);
        await AssertRecordedAsync(DecisionId(answer), code, "http");
        Assert.Empty(_gw.Upstream.Received);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task McpFront_HostileToken_401WithCodeEchoesNothingAndIsRecorded(string kind, string code)
    {
        var body = """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""";
        var answer = await RawHttp.SendWithBodyAsync(_gw.DataPlane, "POST", "/mcp/tools", body,
            "Authorization: Bearer " + Token(kind), "Content-Type: application/json", "Accept: application/json, text/event-stream",
            "MCP-Protocol-Version: 2025-06-18");

        Assert.Equal(401, answer.Status);
        Assert.Contains($"\"code\":\"{code}\"", answer.Body);
        AssertEchoesNothing(answer);
        await AssertRecordedAsync(DecisionId(answer), code, "mcp");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task TokenEndpoint_HostileActorToken_RefusedWithCodeEchoesNothingAndIsRecorded(string kind, string code)
    {
        var form = $"grant_type={Uri.EscapeDataString("urn:ietf:params:oauth:grant-type:token-exchange")}&actor_token={Token(kind)}" +
                   $"&actor_token_type={Uri.EscapeDataString("urn:ietf:params:oauth:token-type:jwt")}&scope=tickets%3Aread";
        var answer = await RawHttp.SendWithBodyAsync(_gw.DataPlane, "POST", "/oauth2/token", form,
            "Content-Type: application/x-www-form-urlencoded");

        Assert.Equal(400, answer.Status);
        Assert.Contains("\"error\":\"invalid_request\"", answer.Body);
        Assert.Contains($"\"code\":\"{code}\"", answer.Body);
        AssertEchoesNothing(answer);
        var decisionId = DecisionIdInBody().Match(answer.Body).Groups[1].Value;
        await AssertRecordedAsync(decisionId, code, "oauth");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Introspection_HostileCallerToken_401EchoesNothing(string kind, string code)
    {
        _ = code;
        var answer = await RawHttp.SendWithBodyAsync(_gw.DataPlane, "POST", "/oauth2/introspect", "token=x",
            "Authorization: Bearer " + Token(kind), "Content-Type: application/x-www-form-urlencoded");

        Assert.Equal(401, answer.Status);
        AssertEchoesNothing(answer);
    }

    private static void AssertEchoesNothing(RawHttp.Answer answer)
    {
        var text = answer.Head + "\r\n\r\n" + answer.Body;
        Assert.DoesNotContain(Marker, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("X-Injected", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script>", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Long[..64], text, StringComparison.Ordinal);
    }

    private static string DecisionId(RawHttp.Answer answer) =>
        DecisionIdHeader().Match(answer.Head).Groups[1].Value;

    private async Task AssertRecordedAsync(string decisionId, string code, string front)
    {
        Assert.False(string.IsNullOrEmpty(decisionId));
        var record = Assert.Single(await _gw.AuditAsync(), e => e.Event.DecisionId == decisionId && e.Event.Kind == "decision");
        Assert.Equal("deny", record.Event.Decision);
        Assert.Equal(code, record.Event.Details["code"]);
        Assert.Equal(front, record.Event.Details["front"]);
        Assert.DoesNotContain(Marker, string.Join(" ", record.Event.Reasons), StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("X-Mandate-Decision-Id: ([0-9a-f-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex DecisionIdHeader();

    [GeneratedRegex("\"decision_id\":\"([0-9a-f-]+)\"")]
    private static partial Regex DecisionIdInBody();
}
