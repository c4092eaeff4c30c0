using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Mandate.Server.Tests.StepUp;

/// <summary>
/// Step-up approval on the MCP front with the official C# SDK as the client: a client that declared URL elicitation
/// (MCP 2025-11-25) receives <c>URLElicitationRequiredError</c> (-32042) naming the approval link; once a person
/// approved, the client's retry of the same call goes through. A client that did not declare it gets a -32001 error
/// carrying the same approval.
/// </summary>
public sealed class McpApprovalTests : IAsyncLifetime
{
    private StepUpFixture _f = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => _f = await StepUpFixture.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await _f.DisposeAsync();

    private async Task<McpClient> ConnectAsync(string token, bool urlElicitation)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(_f.DataPlane, "/mcp/tools"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        });
        var options = new McpClientOptions { ProtocolVersion = "2025-11-25" };
        if (urlElicitation)
        {
            options.Capabilities = new ClientCapabilities { Elicitation = new ElicitationCapability { Url = new UrlElicitationCapability() } };
            options.Handlers = new McpClientHandlers { ElicitationHandler = (_, _) => ValueTask.FromResult(new ElicitResult { Action = "decline" }) };
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await McpClient.CreateAsync(transport, options, cancellationToken: timeout.Token);
    }

    private static Dictionary<string, object?> Transfer(long amount) => new() { ["amount"] = amount, ["to"] = "acme" };

    [Fact]
    public async Task SdkClientWithUrlElicitation_GetsTheApprovalLink_ThenTheRetrySucceeds()
    {
        var token = _f.AgentToken("pay-bot");
        await using var client = await ConnectAsync(token, urlElicitation: true);

        var refused = await Assert.ThrowsAnyAsync<McpException>(() => client.CallToolAsync("transfer", Transfer(400)).AsTask());
        var url = refused switch
        {
            UrlElicitationRequiredException e => e.Elicitations.Single().Url ?? "",
            McpProtocolException p => throw new Xunit.Sdk.XunitException($"expected URLElicitationRequiredError, got {p.ErrorCode}: {p.Message}"),
            _ => throw new Xunit.Sdk.XunitException(refused.ToString()),
        };
        Assert.Contains("/v1/approvals/", url);
        var id = url[(url.LastIndexOf('/') + 1)..];
        Assert.DoesNotContain(_f.Mcp.Log.Calls, c => c.StartsWith("transfer:400", StringComparison.Ordinal));

        Assert.Equal(0, (await _f.ApprovalsCliAsync("alice", "approve", id)).Code);
        var result = await client.CallToolAsync("transfer", Transfer(400));
        Assert.NotEqual(true, result.IsError);
        Assert.Contains(_f.Mcp.Log.Calls, c => c == "transfer:400:acme");

        // Used once: the same call again asks anew.
        await Assert.ThrowsAnyAsync<McpException>(() => client.CallToolAsync("transfer", Transfer(400)).AsTask());
        Assert.Single(_f.Mcp.Log.Calls, c => c == "transfer:400:acme");
    }

    [Fact]
    public async Task ClientWithoutUrlElicitation_GetsAnOrdinaryErrorWithTheSameApproval()
    {
        var token = _f.AgentToken("pay-bot");
        await using var client = await ConnectAsync(token, urlElicitation: false);
        var refused = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("transfer", Transfer(120)).AsTask());
        Assert.Equal(-32001, (int)refused.ErrorCode);

        // The raw answer carries the approval: id, status URL, link.
        var answer = await _f.McpCallAsync(token, "transfer", Transfer(121));
        var data = answer.GetProperty("error").GetProperty("data");
        Assert.Equal(-32001, answer.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("approval.required", data.GetProperty("rule").GetString());
        var id = data.GetProperty("approvalId").GetString()!;
        Assert.EndsWith("/mandate/approvals/" + id, data.GetProperty("statusUrl").GetString());
        Assert.DoesNotContain(_f.Mcp.Log.Calls, c => c.StartsWith("transfer:12", StringComparison.Ordinal));

        // Approved, the call named by `_meta` goes through.
        Assert.Equal(0, (await _f.ApprovalsCliAsync("bob", "approve", id)).Code);
        var result = await client.CallToolAsync(new CallToolRequestParams
        {
            Name = "transfer",
            Arguments = JsonSerializer.SerializeToElement(Transfer(121)).EnumerateObject().ToDictionary(p => p.Name, p => p.Value),
            Meta = new System.Text.Json.Nodes.JsonObject { ["mandate/approval"] = id },
        });
        Assert.NotEqual(true, result.IsError);
        Assert.Contains(_f.Mcp.Log.Calls, c => c == "transfer:121:acme");
    }
}
