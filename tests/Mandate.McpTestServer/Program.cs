using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

// Usage: Mandate.McpTestServer --log FILE. Every tool invocation is appended to FILE, so a test can prove
// which calls reached the server. stdout carries only MCP messages (logging is off).
var log = args.Length == 2 && args[0] == "--log" ? args[1] : throw new ArgumentException("usage: --log FILE");
CallLog.Path = log;
var builder = Host.CreateApplicationBuilder([]);
builder.Logging.ClearProviders();
builder.Services.AddMcpServer().WithStdioServerTransport().WithTools<StdioTools>();
await builder.Build().RunAsync();

/// <summary>Where invocations are written.</summary>
internal static class CallLog
{
    public static string Path { get; set; } = "";

    public static void Append(string line)
    {
        lock (typeof(CallLog))
        {
            File.AppendAllText(Path, line + "\n");
        }
    }
}

/// <summary>The stdio server's tools.</summary>
[McpServerToolType]
public sealed class StdioTools
{
    /// <summary>Echoes the text.</summary>
    [McpServerTool(Name = "echo"), Description("Echoes the text back.")]
    public static string Echo(string text)
    {
        CallLog.Append("echo:" + text);
        return "stdio echo: " + text;
    }

    /// <summary>Pretends to delete everything.</summary>
    [McpServerTool(Name = "delete_all"), Description("Deletes every record.")]
    public static string DeleteAll()
    {
        CallLog.Append("delete_all");
        return "deleted";
    }
}
