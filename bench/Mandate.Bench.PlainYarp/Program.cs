// Plain YARP, the baseline Mandate is measured against (bench/load/run.sh):
//   dotnet Mandate.Bench.PlainYarp.dll --listen 127.0.0.1:18082 --upstream http://127.0.0.1:18080
// Same Kestrel and forwarder as the gateway, minus identify/decide/record.
using System.Net;
using Yarp.ReverseProxy.Configuration;

var listen = Argument("--listen") ?? "127.0.0.1:18082";
var upstream = Argument("--upstream") ?? throw new ArgumentException("--upstream http://127.0.0.1:PORT is required");
var endpoint = IPEndPoint.Parse(listen);
if (!IPAddress.IsLoopback(endpoint.Address))
{
    throw new ArgumentException("the benchmark proxy only listens on loopback");
}

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
builder.WebHost.UseKestrel(k => k.Listen(endpoint));
builder.Logging.ClearProviders();
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "upstream", Match = new RouteMatch { Path = "/{**rest}" } }],
    [new ClusterConfig
    {
        ClusterId = "upstream",
        Destinations = new Dictionary<string, DestinationConfig> { ["d"] = new() { Address = upstream } },
    }]);
var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync();

string? Argument(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
