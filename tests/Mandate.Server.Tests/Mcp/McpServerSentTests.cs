using System.Net;
using Mandate.Server.Tests.Mcp.Support;

namespace Mandate.Server.Tests.Mcp;

/// <summary>
/// What a server sends on its own (the 2025 GET stream, requests to the client) and the 2026-07-28 input rounds pass
/// the same decision as the client's calls: nothing unfiltered or undecided reaches the client.
/// </summary>
public sealed class McpServerSentTests
{
    [Fact]
    public async Task GetStream_UnaskedListFiltered_ServerRequestRefusedAndAnsweredUpstream()
    {
        await using var scripted = await ScriptedMcpServer.StartAsync();
        await using var f = await McpGatewayFixture.StartAsync(upstream: scripted.Url, pinning: "off");
        using var request = new HttpRequestMessage(HttpMethod.Get, f.Endpoint);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + f.Issuer.Mint("reader-bot"));
        request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
        request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2025-06-18");
        using var response = await f.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stream = await response.Content.ReadAsStringAsync();

        Assert.Contains("\"echo\"", stream);
        Assert.DoesNotContain("delete_all", stream); // the list nobody asked for is still filtered for this caller
        Assert.DoesNotContain("sampling/createMessage", stream); // no policy allows the server to ask the client's model
        Assert.Contains("notifications/message", stream); // a log carries nothing to decide
        // The refusal goes up once the stream was relayed (the client is not held for it): wait for it.
        for (var i = 0; i < 100 && scripted.Responses.IsEmpty; i++)
        {
            await Task.Delay(50);
        }

        var refusal = Assert.Single(scripted.Responses);
        Assert.Contains("\"id\":\"s-1\"", refusal);
        Assert.Contains("\"error\"", refusal);

        var audit = await f.AuditAsync();
        Assert.Contains(audit, e => e.Event.Decision == "deny" && e.Event.Action == "Mandate::Action::\"mcp.sampling.create_message\"");
    }

    [Fact]
    public async Task InputRound_AskingForSamplingNotAllowed_ClientGetsErrorNotTheRound()
    {
        await using var scripted = await ScriptedMcpServer.StartAsync();
        await using var f = await McpGatewayFixture.StartAsync(upstream: scripted.Url, pinning: "off", extraPolicies: """
            @id("ask-for-all")
            permit (principal, action == Mandate::Action::"mcp.tools.call", resource == Mandate::Tool::"tools/ask");
            """);
        using var response = await McpModernEraTests.PostAsync(f, "reader-bot", 1, "tools/call", """{"name":"ask","arguments":{}}""", name: "ask");
        var answer = await McpModernEraTests.ReadAsync(response);
        Assert.False(answer.TryGetProperty("result", out _));
        var error = answer.GetProperty("error");
        Assert.Equal("mcp.server_request_denied", error.GetProperty("data").GetProperty("rule").GetString());
        Assert.Contains("sampling/createMessage", error.GetProperty("message").GetString());
    }
}
