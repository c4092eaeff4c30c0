using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Mandate.Demo;

/// <summary>
/// The demo's MCP server: a real Streamable HTTP server built with the official SDK, on 127.0.0.1, with two tools
/// over the sample API's tickets (<see cref="HelpdeskTools"/>). It knows nothing about agents or policies; the
/// gateway fronts it as <c>mcp.servers.helpdesk</c> at <c>/mcp/helpdesk</c>. Stateless (no <c>Mcp-Session-Id</c>),
/// so a single printed <c>curl</c> can call a tool without an <c>initialize</c> first.
/// </summary>
public sealed class HelpdeskMcpServer : IAsyncDisposable
{
    /// <summary>The server's name in <c>demo/mandate.yaml</c> (<c>mcp.servers.helpdesk</c>); tool ids are <c>helpdesk/&lt;tool&gt;</c>.</summary>
    public const string Name = "helpdesk";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _calls;

    private HelpdeskMcpServer(WebApplication app, Uri url, ConcurrentQueue<string> calls)
    {
        _app = app;
        Url = url;
        _calls = calls;
    }

    /// <summary>The MCP endpoint, e.g. <c>http://127.0.0.1:40123/mcp</c>.</summary>
    public Uri Url { get; }

    /// <summary>Every tool invocation so far (<c>tool:argument</c>), in order (tests use it to prove a refused call never arrived).</summary>
    public IReadOnlyList<string> ToolCalls => _calls.ToArray();

    /// <summary>Starts the server on 127.0.0.1 (a free port) over <paramref name="tickets"/>.</summary>
    public static async Task<HelpdeskMcpServer> StartAsync(TicketStore tickets, CancellationToken cancellationToken)
    {
        var builder = LoopbackApp.CreateBuilder("Mandate.Demo.Helpdesk", 0);
        var calls = new ConcurrentQueue<string>();
        builder.Services.AddSingleton(tickets);
        builder.Services.AddSingleton(calls);
        builder.Services.AddMcpServer(o => o.ServerInfo = new() { Name = "mandate-demo-helpdesk", Version = "1.0.0" })
            .WithHttpTransport(o => o.Stateless = true)
            .WithTools<HelpdeskTools>();
        var app = builder.Build();
        app.MapMcp("/mcp");
        var address = await LoopbackApp.StartAsync(app, cancellationToken).ConfigureAwait(false);
        return new HelpdeskMcpServer(app, new Uri(address, "/mcp"), calls);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
