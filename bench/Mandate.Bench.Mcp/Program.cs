using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mandate.Demo;
using Mandate.Server.Configuration;
using Mandate.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

// One process, one run: an MCP server built with the official SDK (stateless Streamable HTTP), a local ES256
// token issuer, and the real Mandate gateway (SQLite audit log, durable before forwarding) in front of it.
// The same tools/call is sent directly and through Mandate, in alternating rounds, sequentially (latency) and
// with CONCURRENCY workers (calls per second). Usage: ROUNDS=5 CALLS=400 CONCURRENCY=16 SECONDS=5.
var rounds = Env("ROUNDS", 5);
var calls = Env("CALLS", 400);
var concurrency = Env("CONCURRENCY", 16);
var seconds = Env("SECONDS", 5);

await using var server = await StartMcpServerAsync();
// The demo's local ES256 issuer (discovery + JWKS over HTTP), with the audience the config below expects.
await using var issuer = await DemoIssuer.StartAsync(new DemoIssuerOptions { Audience = "mandate" }, TimeProvider.System, CancellationToken.None);
var dir = Directory.CreateTempSubdirectory("mandate-mcp-bench").FullName;
Directory.CreateDirectory(Path.Combine(dir, "policies"));
File.WriteAllText(Path.Combine(dir, "policies", "mcp.cedar"), """
    @id("mcp-echo")
    permit (principal, action == Mandate::Action::"mcp.tools.call", resource == Mandate::Tool::"bench/echo");

    @id("http-route")
    permit (principal, action == Mandate::Action::"call", resource == Mandate::Api::"sdk");
    """);
File.WriteAllText(Path.Combine(dir, "mandate.yaml"), $$"""
    dataPlane: { listen: 127.0.0.1:0 }
    controlPlane: { listen: 127.0.0.1:0, adminToken: bench-admin-token-0123456789 }
    dataDir: data
    identity: { oidc: [ { issuer: "{{issuer.Issuer}}", audiences: [mandate] } ] }
    policies: { directory: policies }
    agents: { bench-bot: {} }
    mcp: { servers: { bench: { url: "{{server.Url}}", pinning: off } } }
    upstreams: { sdk: { url: "{{server.Url.GetLeftPart(UriPartial.Authority)}}" } }
    routes: [ { method: POST, path: /mcp, action: call, resource: { type: Api, id: sdk }, upstream: sdk } ]
    """);
var loaded = MandateConfigLoader.Load(Path.Combine(dir, "mandate.yaml"));
if (!loaded.Succeeded)
{
    throw new InvalidOperationException(string.Join("\n", loaded.Problems));
}

var (gateway, problems) = await MandateGateway.StartAsync(loaded.Config!, new MandateServerOptions { WatchFiles = false }, CancellationToken.None);
if (gateway is null)
{
    throw new InvalidOperationException(string.Join("\n", problems));
}

await using (gateway)
{
    var token = issuer.Mint(new DemoAgent("bench-bot", null, [], "bench-bot"), TimeSpan.FromHours(1));
    using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 1024 });
    var direct = server.Url;
    var mandate = new Uri(gateway.Server.DataPlaneAddress, "/mcp/bench");
    // Control: the same POST through Mandate's HTTP front (route pipeline, YARP): same identity, Cedar and audit
    // work, no JSON-RPC handling. The difference to `mandate` is the MCP front's own cost.
    var httpFront = new Uri(gateway.Server.DataPlaneAddress, "/mcp");
    var body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"bench"}}}""");
    // The same call under MCP 2026-07-28: stateless, its declarations in _meta, the method and name mirrored in headers.
    var modernBody = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"bench"},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"bench","version":"1"}}}}""");

    async Task<TimeSpan> CallAsync(Uri target, bool withToken, bool modern = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(modern ? modernBody : body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", modern ? "2026-07-28" : "2025-06-18");
        if (modern)
        {
            request.Headers.TryAddWithoutValidation("Mcp-Method", "tools/call");
            request.Headers.TryAddWithoutValidation("Mcp-Name", "echo");
        }
        if (withToken)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (!response.IsSuccessStatusCode || !text.Contains("echo: bench", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"unexpected answer {(int)response.StatusCode}: {text}");
        }

        return elapsed;
    }

    Console.WriteLine($"warm-up…");
    for (var i = 0; i < 200; i++)
    {
        await CallAsync(direct, false);
        await CallAsync(mandate, true);
        await CallAsync(httpFront, true);
        await CallAsync(mandate, true, modern: true);
    }

    var directTimes = new List<double>();
    var mandateTimes = new List<double>();
    var httpTimes = new List<double>();
    var modernTimes = new List<double>();
    for (var r = 0; r < rounds; r++)
    {
        for (var i = 0; i < calls; i++)
        {
            directTimes.Add((await CallAsync(direct, false)).TotalMicroseconds);
        }

        for (var i = 0; i < calls; i++)
        {
            mandateTimes.Add((await CallAsync(mandate, true)).TotalMicroseconds);
        }

        for (var i = 0; i < calls; i++)
        {
            httpTimes.Add((await CallAsync(httpFront, true)).TotalMicroseconds);
        }

        for (var i = 0; i < calls; i++)
        {
            modernTimes.Add((await CallAsync(mandate, true, modern: true)).TotalMicroseconds);
        }
    }

    async Task<double> ThroughputAsync(Uri target, bool withToken, bool modern = false)
    {
        var count = 0L;
        var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                await CallAsync(target, withToken, modern);
                Interlocked.Increment(ref count);
            }
        }));
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    var directRate = await ThroughputAsync(direct, false);
    var mandateRate = await ThroughputAsync(mandate, true);
    var httpRate = await ThroughputAsync(httpFront, true);
    var modernRate = await ThroughputAsync(mandate, true, modern: true);

    static double P(List<double> xs, double q)
    {
        var sorted = xs.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
    }

    var ci = CultureInfo.InvariantCulture;
    Console.WriteLine();
    Console.WriteLine($"tools/call latency, sequential, {rounds} alternating rounds of {calls} calls each (µs)");
    Console.WriteLine("target          p50      p90      p99     mean");
    foreach (var (name, xs) in new[] { ("direct", directTimes), ("mandate", mandateTimes), ("http-front", httpTimes), ("mandate-2026", modernTimes) })
    {
        Console.WriteLine(string.Format(ci, "{0,-10} {1,8:F0} {2,8:F0} {3,8:F0} {4,8:F0}", name, P(xs, 0.5), P(xs, 0.9), P(xs, 0.99), xs.Average()));
    }

    Console.WriteLine(string.Format(ci, "added latency p50: {0:F0} µs (ratio {1:F2}x), p99: {2:F0} µs", P(mandateTimes, 0.5) - P(directTimes, 0.5), P(mandateTimes, 0.5) / P(directTimes, 0.5), P(mandateTimes, 0.99) - P(directTimes, 0.99)));
    Console.WriteLine(string.Format(ci, "new era (2026-07-28) vs old era (2025-06-18) through Mandate: p50 ratio {0:F3}x, mean ratio {1:F3}x, calls/s {2:F0} vs {3:F0} (cost ratio {4:F3}x)",
        P(modernTimes, 0.5) / P(mandateTimes, 0.5), modernTimes.Average() / mandateTimes.Average(), modernRate, mandateRate, mandateRate / modernRate));
    Console.WriteLine(string.Format(ci, "calls/s with {0} concurrent callers, {1} s each: direct {2:F0}, mandate {3:F0} (ratio {4:F2}x), http-front control {5:F0}", concurrency, seconds, directRate, mandateRate, mandateRate / directRate, httpRate));
}

try
{
    Directory.Delete(dir, recursive: true);
}
catch (IOException)
{
}

static int Env(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out var v) && v > 0 ? v : fallback;

static async Task<McpHost> StartMcpServerAsync()
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Services.AddMcpServer().WithHttpTransport().WithTools<BenchTools>();
    var app = builder.Build();
    app.MapMcp("/mcp");
    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    return new McpHost(app, new Uri(new Uri(address), "/mcp"));
}

/// <summary>The benchmark's MCP server.</summary>
internal sealed record McpHost(WebApplication App, Uri Url) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => App.DisposeAsync();
}

/// <summary>The one tool.</summary>
[McpServerToolType]
public sealed class BenchTools
{
    /// <summary>Echoes.</summary>
    [McpServerTool(Name = "echo"), Description("Echoes the text back.")]
    public static string Echo(string text) => "echo: " + text;
}
