using System.Diagnostics;
using Mandate.Demo;
using Mandate.Server.Configuration;
using Mandate.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

// One process: an MCP server built with the official SDK (stateful Streamable HTTP), a local ES256 issuer and the
// real Mandate gateway in front of it. Every conformance server scenario runs twice, directly and through Mandate;
// the suite has no header option, so a --require preload (conformance-auth.cjs) adds the agent's bearer token to
// the suite's requests for Mandate's origin only. Args: <path to conformance dist/index.js> <preload .cjs>.
var suite = args[0];
var preload = args[1];

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Services.AddMcpServer()
    .WithHttpTransport()
    .WithTools<ConformanceTools>()
    .WithResources<ConformanceResources>()
    .WithPrompts<ConformancePrompts>()
    .WithSubscribeToResourcesHandler((_, _) => ValueTask.FromResult(new EmptyResult()))
    .WithUnsubscribeFromResourcesHandler((_, _) => ValueTask.FromResult(new EmptyResult()))
    .WithSetLoggingLevelHandler((_, _) => ValueTask.FromResult(new EmptyResult()))
    .WithCompleteHandler((_, _) => ValueTask.FromResult(new CompleteResult { Completion = new Completion { Values = ["test1", "test2"], Total = 2 } }));
await using var app = builder.Build();
app.MapMcp("/mcp");
await app.StartAsync();
var direct = new Uri(new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "/mcp");

// The demo's local ES256 issuer (discovery + JWKS over HTTP), with the audience the config below expects.
await using var issuer = await DemoIssuer.StartAsync(new DemoIssuerOptions { Audience = "mandate" }, TimeProvider.System, CancellationToken.None);
var dir = Directory.CreateTempSubdirectory("mandate-mcp-conformance").FullName;
Directory.CreateDirectory(Path.Combine(dir, "policies"));
// The harness permits every MCP action of the one agent: the point is the protocol path, not the policy.
File.WriteAllText(Path.Combine(dir, "policies", "mcp.cedar"), """
    @id("conformance-all")
    permit (principal == Mandate::Agent::"conformance-bot", action, resource);
    """);
// The data plane's port is fixed up front so the config can name the gateway's own origins: a browser page served
// from the gateway's address may call it (the suite's dns-rebinding scenario expects that), any other Origin is refused.
var dataPort = FreePort();
File.WriteAllText(Path.Combine(dir, "mandate.yaml"), $$"""
    dataPlane: { listen: "127.0.0.1:{{dataPort}}" }
    controlPlane: { listen: 127.0.0.1:0, adminToken: conformance-admin-token-0123456789 }
    dataDir: data
    identity: { oidc: [ { issuer: "{{issuer.Issuer}}", audiences: [mandate] } ] }
    policies: { directory: policies }
    agents: { conformance-bot: {} }
    mcp: { servers: { sdk: { url: "{{direct}}", pinning: off, allowedOrigins: [ "http://localhost:{{dataPort}}", "http://127.0.0.1:{{dataPort}}" ] } } }
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
    var mandate = new Uri(gateway.Server.DataPlaneAddress, "/mcp/sdk");
    var token = issuer.Mint(new DemoAgent("conformance-bot", null, [], "conformance-bot"), TimeSpan.FromHours(1));
    var only = Environment.GetEnvironmentVariable("SCENARIOS");
    var scenarios = string.IsNullOrWhiteSpace(only) ? await ListScenariosAsync() : only.Split(',', StringSplitOptions.RemoveEmptyEntries);
    Console.WriteLine($"| scenario | direct (SDK server) | through Mandate |");
    Console.WriteLine($"|---|---|---|");
    foreach (var scenario in scenarios)
    {
        var a = await RunAsync(scenario, direct, null);
        var b = await RunAsync(scenario, mandate, token);
        Console.WriteLine($"| {scenario} | {a} | {b} |");
    }
}

async Task<string[]> ListScenariosAsync()
{
    var (_, output) = await NodeAsync(["list", "--server"], null, null);
    return output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("- ", StringComparison.Ordinal)).Select(l => l[2..].Trim()).ToArray();
}

async Task<string> RunAsync(string scenario, Uri url, string? bearer)
{
    var (code, output) = await NodeAsync(["server", "--url", url.ToString(), "--scenario", scenario], bearer, url);
    var failed = output.Split('\n').Where(l => l.Contains("FAILURE", StringComparison.Ordinal) || l.Contains("✗", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
    File.AppendAllText(Path.Combine(dir, "runs.log"), $"==== {scenario} {url} exit {code}\n{output}\n");
    return code == 0 ? "passed" : "FAILED" + (failed.Count > 0 ? ": " + string.Join("; ", failed).Replace("|", "/", StringComparison.Ordinal)[..Math.Min(200, string.Join("; ", failed).Length)] : "");
}

async Task<(int Code, string Output)> NodeAsync(string[] arguments, string? bearer, Uri? origin)
{
    var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
    start.ArgumentList.Add(suite);
    foreach (var a in arguments)
    {
        start.ArgumentList.Add(a);
    }

    if (bearer is not null)
    {
        start.Environment["NODE_OPTIONS"] = "--require " + preload;
        start.Environment["MANDATE_CONFORMANCE_TOKEN"] = bearer;
        start.Environment["MANDATE_CONFORMANCE_ORIGIN"] = origin!.GetLeftPart(UriPartial.Authority);
    }

    using var process = Process.Start(start)!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    return (process.ExitCode, await stdout + await stderr);
}

static int FreePort()
{
    using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    probe.Start();
    return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
}
