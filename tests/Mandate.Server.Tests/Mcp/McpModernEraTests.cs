using System.Net;
using System.Text;
using System.Text.Json;
using Mandate.Server.Tests.Mcp.Support;

namespace Mandate.Server.Tests.Mcp;

/// <summary>
/// MCP 2026-07-28 requests over raw HTTP, built from the specification (stateless: version, client capabilities and
/// identity in every request's <c>_meta</c>; <c>Mcp-Method</c> / <c>Mcp-Name</c> mirrored in headers). Every refusal
/// is a JSON-RPC error a dual-era client can read, and every hostile one reaches nothing upstream.
/// </summary>
public sealed class McpModernEraTests : IAsyncLifetime
{
    private McpGatewayFixture _f = null!;

    public async Task InitializeAsync() => _f = await McpGatewayFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task ToolsCall_HeadersMatchBody_ForwardedStatelesslyWithResultType()
    {
        using var response = await PostAsync(_f, "reader-bot", 1, "tools/call", """{"name":"echo","arguments":{"text":"modern"}}""", name: "echo");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await ReadAsync(response);
        Assert.Equal("complete", answer.GetProperty("result").GetProperty("resultType").GetString());
        Assert.False(response.Headers.Contains("Mcp-Session-Id"));
        Assert.Equal(["echo:modern"], _f.Sdk.Log.Calls.ToArray());
        var call = Assert.Single(_f.Sdk.Log.Requests, r => r.Body.Contains("\"tools/call\"", StringComparison.Ordinal));
        Assert.Equal("tools/call", call.Header("Mcp-Method"));
        Assert.Equal("echo", call.Header("Mcp-Name"));
        Assert.Null(call.Header("Authorization"));
    }

    [Theory]
    [InlineData("tools/list", "echo", "echo")] // method header says list, body calls
    [InlineData("tools/call", "delete_all", "echo")] // name header says one tool, body another
    [InlineData("tools/call", "=?base64?ZGVsZXRlX2FsbA==?=", "echo")] // Base64 form naming another tool
    [InlineData("tools/call", "=?base64?ZWNobw==?=", "delete_all")] // Base64 form naming an allowed tool, body calls a denied one
    [InlineData("tools/call", "=?base64?not base64?=", "echo")] // Base64 form that decodes to nothing
    [InlineData("tools/call", null, "echo")] // name header missing
    public async Task MirroredHeaders_NotMatchingBody_400HeaderMismatchNothingForwarded(string method, string? name, string bodyTool)
    {
        using var response = await PostAsync(_f, "trusted-bot", 7, "tools/call", "{\"name\":\"" + bodyTool + "\",\"arguments\":{\"text\":\"smuggled\"}}", name: name, methodHeader: method);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (await ReadAsync(response)).GetProperty("error");
        Assert.Equal(-32020, error.GetProperty("code").GetInt32());
        Assert.Equal("mcp.header_mismatch", error.GetProperty("data").GetProperty("rule").GetString());
        Assert.Empty(_f.Sdk.Log.Requests);
        Assert.Empty(_f.Sdk.Log.Calls);
    }

    [Fact]
    public async Task MirroredName_Base64OfTheSameName_Accepted()
    {
        using var response = await PostAsync(_f, "reader-bot", 2, "tools/call", """{"name":"echo","arguments":{"text":"b64"}}""", name: "=?base64?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("echo")) + "?=");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["echo:b64"], _f.Sdk.Log.Calls.ToArray());
    }

    [Fact]
    public async Task VersionHeader_DisagreeingWithMeta_400HeaderMismatch()
    {
        using var response = await PostAsync(_f, "reader-bot", 3, "tools/list", "{}", versionHeader: "2025-11-25");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32020, (await ReadAsync(response)).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Empty(_f.Sdk.Log.Requests);
    }

    [Theory]
    [InlineData("2099-01-01", "2099-01-01")]
    [InlineData("2026-07-28", "1999-12-31")] // the header names a version nobody supports
    public async Task UnsupportedVersion_400WithSupportedList_JsonRpcNotProblem(string metaVersion, string headerVersion)
    {
        using var response = await PostAsync(_f, "reader-bot", 4, "tools/list", "{}", version: metaVersion, versionHeader: headerVersion);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var answer = await ReadAsync(response);
        Assert.Equal(4, answer.GetProperty("id").GetInt32());
        var error = answer.GetProperty("error");
        Assert.Equal(-32022, error.GetProperty("code").GetInt32());
        var supported = error.GetProperty("data").GetProperty("supported").EnumerateArray().Select(v => v.GetString()).ToArray();
        Assert.Contains("2026-07-28", supported);
        Assert.Contains("2025-11-25", supported);
        Assert.Empty(_f.Sdk.Log.Requests);
    }

    [Fact]
    public async Task Meta_UnknownReservedKeyOrMissingCapabilities_RefusedNothingForwarded()
    {
        var smuggled = """{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/authorization":"Bearer stolen"}}""";
        using var response = await PostRawAsync(_f, "reader-bot", "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\",\"params\":" + smuggled + "}", "tools/list", null, "2026-07-28");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32602, (await ReadAsync(response)).GetProperty("error").GetProperty("code").GetInt32());

        var noCapabilities = """{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}""";
        using var second = await PostRawAsync(_f, "reader-bot", "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/list\",\"params\":" + noCapabilities + "}", "tools/list", null, "2026-07-28");
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Empty(_f.Sdk.Log.Requests);
    }

    [Fact]
    public async Task ServerDiscover_AnsweredByMandateForTheCaller()
    {
        using var response = await PostAsync(_f, "doc-bot", "d-1", "server/discover", "{}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await ReadAsync(response)).GetProperty("result");
        var versions = result.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString()).ToArray();
        Assert.Equal("2026-07-28", versions[0]);
        Assert.Contains("2025-06-18", versions);
        Assert.True(result.GetProperty("capabilities").TryGetProperty("tools", out _));
        Assert.Equal("mandate/tools", result.GetProperty("_meta").GetProperty("io.modelcontextprotocol/serverInfo").GetProperty("name").GetString());
        Assert.Equal("private", result.GetProperty("cacheScope").GetString());
        Assert.Equal(0, result.GetProperty("ttlMs").GetInt32());
        // What went up is Mandate's own era probe, never the client's request.
        Assert.DoesNotContain(_f.Sdk.Log.Requests, r => r.Body.Contains("\"d-1\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ToolsList_FilteredPerCaller_PrivateAndNeverFresh()
    {
        using var trusted = await PostAsync(_f, "trusted-bot", 1, "tools/list", "{}");
        var trustedTools = Names(await ReadAsync(trusted));
        Assert.Contains("delete_all", trustedTools);

        using var doc = await PostAsync(_f, "doc-bot", 1, "tools/list", "{}");
        var result = (await ReadAsync(doc)).GetProperty("result");
        Assert.Equal(["read_doc"], Names(result));
        Assert.Equal("complete", result.GetProperty("resultType").GetString());
        Assert.Equal("private", result.GetProperty("cacheScope").GetString());
        Assert.Equal(0, result.GetProperty("ttlMs").GetInt32());
    }

    [Fact]
    public async Task UnknownMethod_404MethodNotFound()
    {
        using var response = await PostAsync(_f, "reader-bot", 9, "initialize", """{"protocolVersion":"2026-07-28","capabilities":{},"clientInfo":{"name":"x","version":"1"}}""");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(-32601, (await ReadAsync(response)).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Empty(_f.Sdk.Log.Requests);
    }

    /// <summary>The tool names of a list answer (the message or its result).</summary>
    internal static string[] Names(JsonElement answer)
    {
        var result = answer.TryGetProperty("result", out var r) ? r : answer;
        return result.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>A 2026-07-28 request: <paramref name="paramsJson"/> gets the required <c>_meta</c>; headers mirror the body unless overridden.</summary>
    internal static Task<HttpResponseMessage> PostAsync(McpGatewayFixture f, string agent, object id, string method, string paramsJson, string? name = null,
        string? methodHeader = null, string version = "2026-07-28", string? versionHeader = null)
    {
        var p = System.Text.Json.Nodes.JsonNode.Parse(paramsJson)!.AsObject();
        p["_meta"] = new System.Text.Json.Nodes.JsonObject
        {
            ["io.modelcontextprotocol/protocolVersion"] = version,
            ["io.modelcontextprotocol/clientCapabilities"] = new System.Text.Json.Nodes.JsonObject(),
            ["io.modelcontextprotocol/clientInfo"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "raw-http-test", ["version"] = "1.0.0" },
        };
        var body = "{\"jsonrpc\":\"2.0\",\"id\":" + JsonSerializer.Serialize(id) + ",\"method\":\"" + method + "\",\"params\":" + p.ToJsonString() + "}";
        return PostRawAsync(f, agent, body, methodHeader ?? method, name, versionHeader ?? version);
    }

    /// <summary>POSTs <paramref name="body"/> with the given mirrored headers (null: left out).</summary>
    internal static Task<HttpResponseMessage> PostRawAsync(McpGatewayFixture f, string agent, string body, string? method, string? name, string? version)
    {
        var headers = new List<(string, string)>();
        if (method is not null)
        {
            headers.Add(("Mcp-Method", method));
        }

        if (name is not null)
        {
            headers.Add(("Mcp-Name", name));
        }

        if (version is not null)
        {
            headers.Add(("MCP-Protocol-Version", version));
        }

        return f.PostAsync(agent, body, [.. headers]);
    }

    /// <summary>The one JSON-RPC message of an answer, JSON or an event stream.</summary>
    internal static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            text = text.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].Trim()).Last(l => l.Contains("\"id\"", StringComparison.Ordinal));
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
