using System.Net;
using Mandate.Server.Tests.Mcp.Support;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Mandate.Server.Tests.Mcp;

/// <summary>A stdio MCP server (the official SDK's, in its own process) launched by Mandate and served over HTTP.</summary>
public sealed class McpStdioTests : IAsyncLifetime
{
    private readonly string _log = Path.Combine(Path.GetTempPath(), "mandate-stdio-" + Guid.NewGuid().ToString("N")[..8] + ".log");
    private McpGatewayFixture _f = null!;

    public async Task InitializeAsync()
    {
        // tests/Mandate.Server.Tests/bin/<Configuration>/net10.0/ → tests/Mandate.McpTestServer/bin/<Configuration>/net10.0/
        var baseDir = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(baseDir);
        var configuration = Path.GetFileName(Path.GetDirectoryName(baseDir)!);
        var server = Path.GetFullPath(Path.Combine(baseDir, "..", "..", "..", "..", "Mandate.McpTestServer", "bin", configuration, framework, "Mandate.McpTestServer.dll"));
        Assert.True(File.Exists(server), $"the stdio test server is not built at {server}");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        _f = await McpGatewayFixture.StartAsync(command: [dotnet, server, "--log", _log]);
    }

    public async Task DisposeAsync()
    {
        await _f.DisposeAsync();
        File.Delete(_log);
    }

    private string[] Logged() => File.Exists(_log) ? File.ReadAllLines(_log) : [];

    [Fact]
    public async Task SdkClient_ThroughMandate_ToStdioServer_AllowedDeniedAndFilteredList()
    {
        await using var client = await _f.ConnectAsync("reader-bot");
        var tools = await client.ListToolsAsync();
        Assert.Equal(["echo"], tools.Select(t => t.Name).ToArray());

        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "over stdio" });
        Assert.Equal("stdio echo: over stdio", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);

        var denied = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("delete_all").AsTask());
        Assert.Equal(-32001, (int)denied.ErrorCode);
        Assert.Equal(["echo:over stdio"], Logged());

        // The session Mandate issued for this process belongs to reader-bot only.
        var sessionId = client.SessionId!;
        using var stolen = await _f.PostAsync("trusted-bot",
            """{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"delete_all","arguments":{}}}""",
            ("Mcp-Session-Id", sessionId), ("MCP-Protocol-Version", "2025-06-18"));
        Assert.Equal(HttpStatusCode.NotFound, stolen.StatusCode);
        Assert.Equal(["echo:over stdio"], Logged());
    }

    [Fact]
    public async Task CallWithoutSession_Refused_NoProcessInvolved()
    {
        using var response = await _f.PostAsync("trusted-bot",
            """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"delete_all","arguments":{}}}""",
            ("MCP-Protocol-Version", "2025-06-18"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("mcp.session_required", await response.Content.ReadAsStringAsync());
        Assert.Empty(Logged());
    }
}
