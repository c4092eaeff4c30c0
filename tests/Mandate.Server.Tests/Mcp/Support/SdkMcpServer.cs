using System.Collections.Concurrent;
using System.ComponentModel;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Tests.Mcp.Support;

/// <summary>One HTTP request as the MCP server saw it.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Body">Request body text.</param>
/// <param name="Headers">Request headers (name → joined values).</param>
public sealed record McpServerRequest(string Method, string Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>A header's value or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

/// <summary>
/// A real MCP server built with the official SDK (Streamable HTTP, Kestrel on 127.0.0.1:0). It logs every
/// HTTP request it receives and every tool invocation, so tests can prove what never arrived.
/// </summary>
public sealed class SdkMcpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SdkMcpServer(WebApplication app, ToolLog log)
    {
        _app = app;
        Log = log;
    }

    /// <summary>The MCP endpoint URL.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>What reached the server.</summary>
    public ToolLog Log { get; }

    /// <summary>Starts the server; <paramref name="stateful"/> makes it issue <c>Mcp-Session-Id</c>.</summary>
    public static async Task<SdkMcpServer> StartAsync(bool stateful = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var log = new ToolLog();
        builder.Services.AddSingleton(log);
        builder.Services.AddMcpServer()
            .WithHttpTransport(o => o.SessionMode = stateful ? HttpServerSessionMode.Stateful : HttpServerSessionMode.Stateless)
            .WithTools<TestTools>()
            .WithPrompts<TestPrompts>();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
            var body = await reader.ReadToEndAsync();
            context.Request.Body.Position = 0;
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            log.Requests.Enqueue(new McpServerRequest(context.Request.Method, body, headers));
            await next(context);
        });
        app.MapMcp("/mcp");
        await app.StartAsync();
        var server = new SdkMcpServer(app, log);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(new Uri(address), "/mcp");
        return server;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

/// <summary>Everything the test MCP server received.</summary>
public sealed class ToolLog
{
    /// <summary>Every HTTP request, in order.</summary>
    public ConcurrentQueue<McpServerRequest> Requests { get; } = new();

    /// <summary>Every tool invocation (tool name and its arguments as text), in order.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>True when any request body mentions <paramref name="text"/>.</summary>
    public bool AnyBodyContains(string text) => Requests.Any(r => r.Body.Contains(text, StringComparison.Ordinal));

    /// <summary>Forgets everything.</summary>
    public void Clear()
    {
        Requests.Clear();
        Calls.Clear();
    }
}

/// <summary>The test server's tools; each logs its invocation.</summary>
[McpServerToolType]
public sealed class TestTools
{
    private readonly ToolLog _log;

    /// <summary>Created per call by the SDK.</summary>
    public TestTools(ToolLog log) => _log = log;

    /// <summary>Echoes the text.</summary>
    [McpServerTool(Name = "echo"), Description("Echoes the text back.")]
    public string Echo(string text)
    {
        _log.Calls.Enqueue($"echo:{text}");
        return "echo: " + text;
    }

    /// <summary>Pretends to move money.</summary>
    [McpServerTool(Name = "transfer"), Description("Transfers an amount to an account.")]
    public string Transfer(long amount, string to)
    {
        _log.Calls.Enqueue($"transfer:{amount}:{to}");
        return $"transferred {amount} to {to}";
    }

    /// <summary>Reads a document.</summary>
    [McpServerTool(Name = "read_doc"), Description("Reads a document.")]
    public string ReadDoc(string path)
    {
        _log.Calls.Enqueue($"read_doc:{path}");
        return "doc: " + path;
    }

    /// <summary>Pretends to delete everything.</summary>
    [McpServerTool(Name = "delete_all"), Description("Deletes every record.")]
    public string DeleteAll()
    {
        _log.Calls.Enqueue("delete_all");
        return "deleted";
    }
}

/// <summary>The test server's prompts.</summary>
[McpServerPromptType]
public sealed class TestPrompts
{
    /// <summary>A greeting prompt.</summary>
    [McpServerPrompt(Name = "greeting"), Description("Greets someone.")]
    public static string Greeting(string name) => "Hello " + name;

    /// <summary>A secret prompt.</summary>
    [McpServerPrompt(Name = "secret_prompt"), Description("Reveals secrets.")]
    public static string Secret() => "the secret";
}
