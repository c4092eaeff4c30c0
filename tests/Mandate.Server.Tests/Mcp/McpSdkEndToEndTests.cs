using System.Text.Json;
using Mandate.Core.Mcp;
using Mandate.Server.Tests.Mcp.Support;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Mandate.Server.Tests.Mcp;

/// <summary>The official SDK on both sides: an SDK client calls an SDK server through Mandate.</summary>
public sealed class McpSdkEndToEndTests
{
    [Fact]
    public async Task CallTool_AllowedAndDenied_ResultOrPolicyErrorAndDeniedCallNeverArrives()
    {
        await using var f = await McpGatewayFixture.StartAsync();
        await using var client = await f.ConnectAsync("reader-bot");

        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "hello" });
        Assert.NotEqual(true, echo.IsError);
        Assert.Equal("echo: hello", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);

        var small = await client.CallToolAsync("transfer", new Dictionary<string, object?> { ["amount"] = 50, ["to"] = "acct-1" });
        Assert.Equal("transferred 50 to acct-1", Assert.IsType<TextContentBlock>(Assert.Single(small.Content)).Text);

        var denied = await Assert.ThrowsAsync<McpProtocolException>(() =>
            client.CallToolAsync("transfer", new Dictionary<string, object?> { ["amount"] = 5000, ["to"] = "acct-2" }).AsTask());
        Assert.Equal(-32001, (int)denied.ErrorCode);

        var deleteDenied = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("delete_all").AsTask());
        Assert.Equal(-32001, (int)deleteDenied.ErrorCode);

        // The server's own log: the allowed calls arrived, the denied ones never did.
        Assert.Equal(["echo:hello", "transfer:50:acct-1"], f.Sdk.Log.Calls.ToArray());
        Assert.False(f.Sdk.Log.AnyBodyContains("5000"));
        Assert.False(f.Sdk.Log.AnyBodyContains("delete_all"));

        var audit = await f.AuditAsync();
        var deny = Assert.Single(audit, e => e.Event.Decision == "deny" && e.Event.Policies.Contains("transfer-limit"));
        Assert.Equal("Mandate::Tool::\"tools/transfer\"", deny.Event.Resource);
        Assert.Equal("Mandate::Action::\"mcp.tools.call\"", deny.Event.Action);
        Assert.Contains(audit, e => e.Event.Decision == "allow" && e.Event.Resource == "Mandate::Tool::\"tools/echo\"");
    }

    [Fact]
    public async Task DefaultSdkClient_UnpinnedVersion_SpeaksNewEraThroughMandate()
    {
        // The SDK's default client discovers with server/discover under 2026-07-28: Mandate answers it for the caller
        // and serves the client statelessly, still deciding call by call.
        await using var f = await McpGatewayFixture.StartAsync();
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = f.Endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + f.Issuer.Mint("reader-bot") },
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "default client" });
        Assert.Equal("echo: default client", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);
        await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("delete_all").AsTask());
        Assert.Equal(["echo:default client"], f.Sdk.Log.Calls.ToArray());
        Assert.Equal(McpProtocolVersions.V20260728, client.NegotiatedProtocolVersion);
        // The client's own discover was answered by Mandate: the only one upstream is Mandate's era probe.
        Assert.All(f.Sdk.Log.Requests.Where(r => r.Body.Contains("server/discover", StringComparison.Ordinal)), r => Assert.Contains("mandate-discover", r.Body));
        Assert.False(f.Sdk.Log.AnyBodyContains("initialize"));
        Assert.False(f.Sdk.Log.AnyBodyContains("delete_all"));
    }

    [Fact]
    public async Task VaultedCredential_AttachedUpstream_ClientTokenNot()
    {
        await using var f = await McpGatewayFixture.StartAsync(vaultedKey: "mcp-server-api-key");
        await using var client = await f.ConnectAsync("reader-bot");
        await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "with key" });
        Assert.NotEmpty(f.Sdk.Log.Requests);
        Assert.All(f.Sdk.Log.Requests, r =>
        {
            Assert.Equal("mcp-server-api-key", r.Header("X-Api-Key"));
            Assert.Null(r.Header("Authorization"));
        });
    }

    [Fact]
    public async Task DenyError_CarriesRuleDecisionIdPoliciesAndReasons()
    {
        await using var f = await McpGatewayFixture.StartAsync();
        using var response = await f.PostAsync("reader-bot",
            """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"transfer","arguments":{"amount":101,"to":"x"}}}""",
            ("MCP-Protocol-Version", "2025-06-18"));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal(7, doc.RootElement.GetProperty("id").GetInt32());
        Assert.Equal(-32001, error.GetProperty("code").GetInt32());
        var data = error.GetProperty("data");
        Assert.Equal("policy.deny", data.GetProperty("rule").GetString());
        Assert.Equal(response.Headers.GetValues("X-Mandate-Decision-Id").Single(), data.GetProperty("decisionId").GetString());
        Assert.Equal(["transfer-limit"], data.GetProperty("policies").EnumerateArray().Select(p => p.GetString()!).ToArray());
        Assert.Equal(["transfers above 100 need a human approval"], data.GetProperty("reasons").EnumerateArray().Select(p => p.GetString()!).ToArray());
        Assert.Empty(f.Sdk.Log.Requests);
    }

    [Fact]
    public async Task ListTools_FilteredPerAgent_FromAnEventStreamAnswer()
    {
        await using var f = await McpGatewayFixture.StartAsync();
        await using (var reader = await f.ConnectAsync("reader-bot"))
        {
            var tools = await reader.ListToolsAsync();
            Assert.Equal(["echo", "transfer"], tools.Select(t => t.Name).Order(StringComparer.Ordinal).ToArray());
            var prompts = await reader.ListPromptsAsync();
            Assert.Equal(["greeting"], prompts.Select(p => p.Name).ToArray());
        }

        await using (var trusted = await f.ConnectAsync("trusted-bot"))
        {
            var tools = await trusted.ListToolsAsync();
            Assert.Equal(["delete_all", "echo", "transfer"], tools.Select(t => t.Name).Order(StringComparer.Ordinal).ToArray());
        }

        // The SDK server answers POSTs as text/event-stream: the filtering above happened inside SSE events.
        Assert.Contains(f.Sdk.Log.Requests, r => r.Body.Contains("\"tools/list\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StatefulServer_SessionBoundToAgent_OtherAgentGets404AndNothingForwarded()
    {
        await using var f = await McpGatewayFixture.StartAsync(stateful: true);
        string sessionId;
        await using (var client = await f.ConnectAsync("reader-bot"))
        {
            sessionId = client.SessionId ?? throw new InvalidOperationException("the stateful server issued no session id");
            var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "in-session" });
            Assert.Equal("echo: in-session", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);

            f.Sdk.Log.Clear();
            using var stolen = await f.PostAsync("trusted-bot",
                """{"jsonrpc":"2.0","id":99,"method":"tools/call","params":{"name":"echo","arguments":{"text":"stolen-session"}}}""",
                ("Mcp-Session-Id", sessionId), ("MCP-Protocol-Version", "2025-06-18"));
            Assert.Equal(System.Net.HttpStatusCode.NotFound, stolen.StatusCode);

            using var invented = await f.PostAsync("reader-bot",
                """{"jsonrpc":"2.0","id":100,"method":"tools/call","params":{"name":"echo","arguments":{"text":"invented-session"}}}""",
                ("Mcp-Session-Id", "not-issued-by-the-server"), ("MCP-Protocol-Version", "2025-06-18"));
            Assert.Equal(System.Net.HttpStatusCode.NotFound, invented.StatusCode);
            Assert.False(f.Sdk.Log.AnyBodyContains("stolen-session"));
            Assert.False(f.Sdk.Log.AnyBodyContains("invented-session"));
            Assert.DoesNotContain(f.Sdk.Log.Requests, r => r.Header("Mcp-Session-Id") is not null && r.Method == "POST");
        }
    }
}
