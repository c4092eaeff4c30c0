using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Tests.Support;

/// <summary>One request as the upstream saw it on the wire.</summary>
/// <param name="Method">Request method.</param>
/// <param name="RawTarget">Exact request target.</param>
/// <param name="Headers">Headers (name → values joined by ", ").</param>
public sealed record UpstreamRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The request body as received.</summary>
    public byte[] Body { get; init; } = [];

    /// <summary>A header's value or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

/// <summary>A real upstream API on 127.0.0.1:0 that records every request it receives and answers 200.</summary>
public sealed class RecordingUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<UpstreamRequest> _received = new();

    private RecordingUpstream(WebApplication app) => _app = app;

    /// <summary>Base URL.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Everything received so far, in order.</summary>
    public IReadOnlyList<UpstreamRequest> Received => _received.ToArray();

    /// <summary>Starts the upstream.</summary>
    public static async Task<RecordingUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var upstream = new RecordingUpstream(app);
        app.Run(async context =>
        {
            var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            upstream._received.Enqueue(new UpstreamRequest(context.Request.Method, raw, headers) { Body = body.ToArray() });
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("upstream ok");
        });
        await app.StartAsync();
        upstream.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return upstream;
    }

    /// <summary>Forgets what was received.</summary>
    public void Clear() => _received.Clear();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
