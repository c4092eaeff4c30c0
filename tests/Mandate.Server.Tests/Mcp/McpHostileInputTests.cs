using System.Net;
using System.Text;
using System.Text.Json;
using Mandate.Server.Tests.Mcp.Support;

namespace Mandate.Server.Tests.Mcp;

/// <summary>Hostile JSON-RPC over raw HTTP; each asserts the MCP server received nothing of the refused part.</summary>
public sealed class McpHostileInputTests : IAsyncLifetime
{
    private McpGatewayFixture _f = null!;

    public async Task InitializeAsync() => _f = await McpGatewayFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private static string Call(object id, string name, string arguments = "{}") =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + JsonSerializer.Serialize(id) + ",\"method\":\"tools/call\",\"params\":{\"name\":" + JsonSerializer.Serialize(name) + ",\"arguments\":" + arguments + "}}";

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task Batch_MixingAllowedAndDenied_NothingForwardedEachAnswered()
    {
        var body = "[" + Call(1, "echo", """{"text":"batch-allowed"}""") + "," + Call(2, "delete_all") + "]";
        using var response = await _f.PostAsync("reader-bot", body, ("MCP-Protocol-Version", "2025-03-26"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answers = (await JsonAsync(response)).EnumerateArray().ToDictionary(a => a.GetProperty("id").GetInt32(), a => a.GetProperty("error"));
        Assert.Equal("mcp.batch_refused", answers[1].GetProperty("data").GetProperty("rule").GetString());
        Assert.Equal(-32001, answers[2].GetProperty("code").GetInt32());
        Assert.Equal("policy.deny", answers[2].GetProperty("data").GetProperty("rule").GetString());
        Assert.Empty(_f.Sdk.Log.Requests);
        Assert.Empty(_f.Sdk.Log.Calls);
    }

    [Fact]
    public async Task Batch_HoldingInitialize_RefusedWhole()
    {
        var body = """[{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"x","version":"1"}}},""" + Call(2, "echo", """{"text":"after-init"}""") + "]";
        using var response = await _f.PostAsync("reader-bot", body, ("MCP-Protocol-Version", "2025-03-26"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_f.Sdk.Log.Requests);
    }

    [Fact]
    public async Task Batch_UnderVersionWithoutBatches_Refused()
    {
        var body = "[" + Call(1, "echo", """{"text":"a"}""") + "]";
        using var response = await _f.PostAsync("reader-bot", body, ("MCP-Protocol-Version", "2025-06-18"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("jsonrpc.batch_not_allowed", (await JsonAsync(response)).GetProperty("error").GetProperty("data").GetProperty("rule").GetString());
        Assert.Empty(_f.Sdk.Log.Requests);
    }

    [Theory]
    [InlineData("Echo")]
    [InlineData("ECHO")]
    [InlineData("echo ")]
    [InlineData(" echo")]
    [InlineData("ec\u200Bho")]
    [InlineData("echo\u200D")]
    [InlineData("ｅcho")]
    [InlineData("tools/echo")]
    public async Task ToolName_Variants_NeverReachTheServer(string name)
    {
        using var response = await _f.PostAsync("reader-bot", Call(1, name, """{"text":"variant"}"""), ("MCP-Protocol-Version", "2025-06-18"));
        var error = (await JsonAsync(response)).GetProperty("error");
        Assert.True(error.GetProperty("code").GetInt32() is -32001 or -32602, error.ToString());
        Assert.Empty(_f.Sdk.Log.Requests);
    }

    [Theory]
    [InlineData("Tools/call")]
    [InlineData("tools/call ")]
    [InlineData("tools/CALL")]
    [InlineData("tools\u200B/call")]
    public async Task MethodName_Variants_Refused(string method)
    {
        var body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":" + JsonSerializer.Serialize(method) + ",\"params\":{\"name\":\"delete_all\",\"arguments\":{}}}";
        using var response = await _f.PostAsync("trusted-bot", body, ("MCP-Protocol-Version", "2025-06-18"));
        Assert.Equal(-32601, (await JsonAsync(response)).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Empty(_f.Sdk.Log.Requests);
    }

    [Fact]
    public async Task EscapedToolName_IsTheSameName_AndDecidedAsSuch()
    {
        // \u0064elete_all is delete_all: decided as delete_all (denied for reader-bot), not as some other name.
        var body = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"\u0064elete_all","arguments":{}}}""";
        using var response = await _f.PostAsync("reader-bot", body, ("MCP-Protocol-Version", "2025-06-18"));
        Assert.Equal(-32001, (await JsonAsync(response)).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Empty(_f.Sdk.Log.Requests);
    }

    [Fact]
    public async Task DuplicateNameKey_Refused()
    {
        var body = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","name":"delete_all","arguments":{}}}""";
        using var response = await _f.PostAsync("trusted-bot", body, ("MCP-Protocol-Version", "2025-06-18"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("jsonrpc.duplicate_key", (await JsonAsync(response)).GetProperty("error").GetProperty("data").GetProperty("rule").GetString());
        Assert.Empty(_f.Sdk.Log.Requests);
    }

    [Fact]
    public async Task Notification_CallingATool_Refused()
    {
        var body = """{"jsonrpc":"2.0","method":"tools/call","params":{"name":"echo","arguments":{"text":"as-notification"}}}""";
        using var response = await _f.PostAsync("reader-bot", body, ("MCP-Protocol-Version", "2025-06-18"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("mcp.notification_not_allowed", (await JsonAsync(response)).GetProperty("error").GetProperty("data").GetProperty("rule").GetString());
        Assert.Empty(_f.Sdk.Log.Requests);
    }

    [Fact]
    public async Task IdCollision_InBatch_Refused()
    {
        var body = "[" + Call(5, "echo", """{"text":"one"}""") + "," + Call(5, "echo", """{"text":"two"}""") + "]";
        using var response = await _f.PostAsync("reader-bot", body, ("MCP-Protocol-Version", "2025-03-26"));
        Assert.Contains("jsonrpc.duplicate_id", await response.Content.ReadAsStringAsync());
        Assert.Empty(_f.Sdk.Log.Requests);
    }

    [Fact]
    public async Task DeepArguments_10000Levels_Refused()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        using var response = await _f.PostAsync("reader-bot", Call(1, "echo", $$"""{"text":{{deep}}}"""), ("MCP-Protocol-Version", "2025-06-18"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("jsonrpc.depth", (await JsonAsync(response)).GetProperty("error").GetProperty("data").GetProperty("rule").GetString());
        Assert.Empty(_f.Sdk.Log.Requests);
    }

    [Fact]
    public async Task FiveMegabyteBody_Refused413()
    {
        var big = new string('a', 5 * 1024 * 1024);
        using var response = await _f.PostAsync("reader-bot", Call(1, "echo", $$"""{"text":"{{big}}"}"""), ("MCP-Protocol-Version", "2025-06-18"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_f.Sdk.Log.Requests);
    }

    [Fact]
    public async Task ForeignOrigin_Refused403_AllowedOriginPasses()
    {
        using var foreign = await _f.PostAsync("reader-bot", Call(1, "echo", """{"text":"from-evil"}"""), ("Origin", "https://evil.example"), ("MCP-Protocol-Version", "2025-06-18"));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Empty(_f.Sdk.Log.Requests);

        using var allowed = await _f.PostAsync("reader-bot", Call(2, "echo", """{"text":"from-console"}"""), ("Origin", McpGatewayFiles.AllowedOrigin), ("MCP-Protocol-Version", "2025-06-18"));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(["echo:from-console"], _f.Sdk.Log.Calls.ToArray());
    }

    [Fact]
    public async Task MethodHeaders_NotMatchingTheBody_Refused()
    {
        using var response = await _f.PostAsync("trusted-bot", Call(1, "delete_all"), ("Mcp-Method", "tools/call"), ("Mcp-Name", "echo"), ("MCP-Protocol-Version", "2025-06-18"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_f.Sdk.Log.Requests);
    }

    [Fact]
    public async Task UnknownProtocolVersion_Refused()
    {
        using var response = await _f.PostAsync("reader-bot", Call(1, "echo", """{"text":"v"}"""), ("MCP-Protocol-Version", "2099-01-01"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_f.Sdk.Log.Requests);
    }

    [Fact]
    public async Task ClientAuthorization_NeverForwarded()
    {
        using var response = await _f.PostAsync("reader-bot", Call(1, "echo", """{"text":"token-check"}"""), ("MCP-Protocol-Version", "2025-06-18"), ("Cookie", "session=abc"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Mandate's own era probe (server/discover) went up too: it carries no client credential either.
        Assert.Single(_f.Sdk.Log.Requests, r => r.Body.Contains("token-check", StringComparison.Ordinal));
        Assert.All(_f.Sdk.Log.Requests, received =>
        {
            Assert.Null(received.Header("Authorization"));
            Assert.Null(received.Header("Cookie"));
        });
    }

    [Fact]
    public async Task MissingToken_401WithResourceMetadata_AndMetadataServed()
    {
        using var response = await _f.PostAsync(null, Call(1, "echo", """{"text":"anonymous"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        var expected = new Uri(_f.Gateway.Server.DataPlaneAddress, "/.well-known/oauth-protected-resource/mcp/tools").ToString();
        Assert.Contains($"resource_metadata=\"{expected}\"", challenge);
        Assert.Empty(_f.Sdk.Log.Requests);

        using var metadata = await _f.Http.GetAsync(expected);
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        var doc = await JsonAsync(metadata);
        Assert.Equal(_f.Endpoint.ToString(), doc.GetProperty("resource").GetString());
        Assert.Equal([_f.Issuer.Issuer], doc.GetProperty("authorization_servers").EnumerateArray().Select(a => a.GetString()!).ToArray());
        Assert.Equal(["header"], doc.GetProperty("bearer_methods_supported").EnumerateArray().Select(a => a.GetString()!).ToArray());

        using var root = await _f.Http.GetAsync(new Uri(_f.Gateway.Server.DataPlaneAddress, "/.well-known/oauth-protected-resource"));
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
    }

    [Fact]
    public async Task EncodedEndpointPath_IsTheSameEndpoint_AndStillDecided()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_f.Gateway.Server.DataPlaneAddress, "/mcp/%74ools"))
        {
            Content = new StringContent(Call(1, "delete_all"), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _f.Issuer.Mint("reader-bot"));
        using var response = await _f.Http.SendAsync(request);
        Assert.Equal(-32001, (await JsonAsync(response)).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Empty(_f.Sdk.Log.Requests);
    }
}
