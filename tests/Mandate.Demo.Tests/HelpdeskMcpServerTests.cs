using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Mandate.Demo.Tests;

/// <summary>The helpdesk MCP server on its own, through the official SDK's client (no gateway).</summary>
public sealed class HelpdeskMcpServerTests : IAsyncLifetime
{
    private readonly TicketStore _tickets = new();
    private HelpdeskMcpServer _server = null!;
    private McpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await HelpdeskMcpServer.StartAsync(_tickets, CancellationToken.None);
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = _server.Url, TransportMode = HttpTransportMode.StreamableHttp });
        _client = await McpClient.CreateAsync(transport);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public void StartAsync_FreePort_ListensOnLoopbackOnly()
    {
        Assert.Equal("127.0.0.1", _server.Url.Host);
        Assert.Equal("/mcp", _server.Url.AbsolutePath);
    }

    [Fact]
    public async Task ToolsList_TwoTools_ReadOneMarkedReadOnlyAndTheOtherDestructive()
    {
        var tools = (await _client.ListToolsAsync()).ToDictionary(t => t.Name, StringComparer.Ordinal);

        Assert.Equal([HelpdeskTools.Delete, HelpdeskTools.Search], tools.Keys.Order(StringComparer.Ordinal));
        Assert.True(tools[HelpdeskTools.Search].ProtocolTool.Annotations?.ReadOnlyHint);
        Assert.True(tools[HelpdeskTools.Delete].ProtocolTool.Annotations?.DestructiveHint);
    }

    [Fact]
    public async Task SearchTickets_Printer_AnswersTheMatchingTicketOnly()
    {
        var result = await _client.CallToolAsync(HelpdeskTools.Search, new Dictionary<string, object?> { ["query"] = "PRINTER" });

        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.Equal("1001 [open] Printer on floor 3 jams (assignee: alice)", text);
        Assert.Equal([$"{HelpdeskTools.Search}:PRINTER"], _server.ToolCalls);
    }

    [Fact]
    public async Task DeleteTicket_Existing_RemovesItFromTheSharedStore()
    {
        var result = await _client.CallToolAsync(HelpdeskTools.Delete, new Dictionary<string, object?> { ["id"] = "1003" });

        Assert.Equal("deleted ticket 1003", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.Null(_tickets.Find("1003"));
        Assert.NotNull(_tickets.Find("1001"));
    }
}
