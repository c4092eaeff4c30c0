using Mandate.Core.Mcp;
using Mandate.Server.Tests.Mcp.Support;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Mandate.Server.Tests.Mcp;

/// <summary>
/// The official C# SDK (2.4.0 speaks both 2025 revisions and 2026-07-28) as client and server, each era on each side:
/// Mandate speaks the upstream's era and translates, and lists and decisions come out the same.
/// </summary>
public sealed class McpEraTranslationTests
{
    [Theory]
    [InlineData("2025-06-18")]
    [InlineData("2026-07-28")]
    public async Task ReadDocCaller_SeesOnlyReadDoc_InEitherEra(string clientVersion)
    {
        await using var f = await McpGatewayFixture.StartAsync();
        await using var trusted = await f.ConnectAsync("trusted-bot", clientVersion);
        Assert.Contains("delete_all", (await trusted.ListToolsAsync()).Select(t => t.Name));

        await using var doc = await f.ConnectAsync("doc-bot", clientVersion);
        Assert.Equal(["read_doc"], (await doc.ListToolsAsync()).Select(t => t.Name).ToArray());
        Assert.Equal(clientVersion, doc.NegotiatedProtocolVersion);
        var read = await doc.CallToolAsync("read_doc", new Dictionary<string, object?> { ["path"] = "a.md" });
        Assert.Equal("doc: a.md", Assert.IsType<TextContentBlock>(Assert.Single(read.Content)).Text);
        var denied = await Assert.ThrowsAsync<McpProtocolException>(() => doc.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "not-for-doc" }).AsTask());
        Assert.Equal(-32001, (int)denied.ErrorCode);
        Assert.False(f.Sdk.Log.AnyBodyContains("not-for-doc"));
    }

    [Fact]
    public async Task ModernClient_LegacyUpstream_SessionHeldForTheCallerAndMetaNotPassedOn()
    {
        await using var f = await McpGatewayFixture.StartAsync(stateful: true, extraServerYaml: "protocol: legacy");
        await using var client = await f.ConnectAsync("reader-bot", McpProtocolVersions.V20260728);
        Assert.Equal(McpProtocolVersions.V20260728, client.NegotiatedProtocolVersion);
        Assert.Equal(["echo", "transfer"], (await client.ListToolsAsync()).Select(t => t.Name).Order(StringComparer.Ordinal).ToArray());
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "bridged" });
        Assert.Equal("echo: bridged", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);
        await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("delete_all").AsTask());

        // One initialize from Mandate (with the client's identity), then every request on that session, stripped of
        // the per-request protocol keys a legacy server does not read.
        // (The other initialize is Mandate's era probe, whose session it ends at once.)
        var initialize = Assert.Single(f.Sdk.Log.Requests, r => r.Body.Contains("\"initialize\"", StringComparison.Ordinal) && r.Body.Contains("mandate-bridge", StringComparison.Ordinal));
        Assert.Contains("\"protocolVersion\":\"2025-11-25\"", initialize.Body);
        Assert.DoesNotContain("\"name\":\"mandate\"", initialize.Body);
        var calls = f.Sdk.Log.Requests.Where(r => r.Body.Contains("\"tools/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, r =>
        {
            Assert.NotNull(r.Header("Mcp-Session-Id"));
            Assert.DoesNotContain("io.modelcontextprotocol/", r.Body);
            Assert.Null(r.Header("Authorization"));
        });
        Assert.Equal(["echo:bridged"], f.Sdk.Log.Calls.ToArray());
        Assert.DoesNotContain(f.Sdk.Log.Requests, r => r.Body.Contains("server/discover", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LegacyClient_ModernUpstream_HandshakeAnsweredByMandateRequestsGoUpStateless()
    {
        await using var f = await McpGatewayFixture.StartAsync(extraServerYaml: "protocol: modern");
        await using var client = await f.ConnectAsync("reader-bot", "2025-06-18");
        Assert.Equal("2025-06-18", client.NegotiatedProtocolVersion);
        Assert.Equal(["echo", "transfer"], (await client.ListToolsAsync()).Select(t => t.Name).Order(StringComparer.Ordinal).ToArray());
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "upgraded" });
        Assert.Equal("echo: upgraded", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);
        await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("delete_all").AsTask());

        Assert.DoesNotContain(f.Sdk.Log.Requests, r => r.Body.Contains("\"initialize\"", StringComparison.Ordinal));
        var call = Assert.Single(f.Sdk.Log.Requests, r => r.Body.Contains("\"tools/call\"", StringComparison.Ordinal));
        Assert.Contains("\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"", call.Body);
        Assert.Equal("tools/call", call.Header("Mcp-Method"));
        Assert.Equal("echo", call.Header("Mcp-Name"));
        Assert.Null(call.Header("Mcp-Session-Id"));
        Assert.Equal(["echo:upgraded"], f.Sdk.Log.Calls.ToArray());
    }

    [Theory]
    [InlineData("2025-06-18")]
    [InlineData("2026-07-28")]
    public async Task WrongTypedArgument_RefusedBeforeDecisionWithPath_NeverForwarded(string clientVersion)
    {
        await using var f = await McpGatewayFixture.StartAsync();
        await using var client = await f.ConnectAsync("reader-bot", clientVersion);
        f.Sdk.Log.Clear();
        // The transfer tool's inputSchema says amount is an integer: a string would slip past `context.args.amount > 100`.
        var refused = await Assert.ThrowsAsync<McpProtocolException>(() =>
            client.CallToolAsync("transfer", new Dictionary<string, object?> { ["amount"] = "5000", ["to"] = "acct-9" }).AsTask());
        Assert.Equal(-32602, (int)refused.ErrorCode);
        Assert.Contains("`args.amount` must be an integer, not a string", refused.Message);
        var missing = await Assert.ThrowsAsync<McpProtocolException>(() =>
            client.CallToolAsync("transfer", new Dictionary<string, object?> { ["amount"] = 5 }).AsTask());
        Assert.Contains("`args.to` is required", missing.Message);
        // (A 2025 client may open its GET stream meanwhile; no message was posted.)
        Assert.DoesNotContain(f.Sdk.Log.Requests, r => r.Method == "POST");
        Assert.Empty(f.Sdk.Log.Calls);

        var audit = await f.AuditAsync();
        Assert.Contains(audit, e => e.Event.Decision == "deny" && e.Event.Resource == "Mandate::Tool::\"tools/transfer\"");
    }
}
