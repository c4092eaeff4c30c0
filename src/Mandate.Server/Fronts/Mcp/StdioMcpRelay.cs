using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Server.Flow;
using Mandate.Core.Mcp;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// Act, for stdio servers: one process per MCP session, launched on the client's <c>initialize</c>; Mandate issues
/// the <c>Mcp-Session-Id</c> (bound to the agent) and speaks newline-delimited JSON-RPC to the process, with its
/// own request ids. Answers go back as one JSON body (list answers filtered); what the server sends on its own is
/// served on the session's GET stream. DELETE (or shutdown) ends the process.
/// </summary>
public sealed class StdioMcpRelay : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Server, string Session), StdioMcpSession> _sessions = new();
    private readonly McpSessionBindings _bindings;
    private readonly DecisionFlow _flow;
    private readonly McpToolPins _pins;
    private readonly ILogger<StdioMcpRelay> _logger;

    /// <summary>Creates the relay.</summary>
    public StdioMcpRelay(McpSessionBindings bindings, DecisionFlow flow, McpToolPins pins, ILogger<StdioMcpRelay> logger)
    {
        _bindings = bindings;
        _flow = flow;
        _pins = pins;
        _logger = logger;
    }

    /// <summary>Sends the decided messages to the session's process (launching it for an <c>initialize</c>) and answers.</summary>
    public async Task PostAsync(HttpContext context, McpRequestState state, JsonRpcParseResult parsed, IReadOnlyDictionary<JsonRpcId, McpListKind> lists, IReadOnlyList<McpMessageVerdict> verdicts, string? sessionId)
    {
        var started = Stopwatch.GetTimestamp();
        var flow = state.Flow;
        StdioMcpSession? session;
        if (sessionId is null)
        {
            try
            {
                session = StdioMcpSession.Launch(state.Server);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
            {
                McpLog.ForwardFailed(_logger, flow.DecisionId, state.Server.Name, e.GetType().Name);
                await FailAsync(context, flow, parsed, verdicts, ErrorCatalogue.UpstreamUnavailable, "the stdio mcp server could not be started", Stopwatch.GetElapsedTime(started));
                return;
            }

            sessionId = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
            if (!_bindings.TryBind(state.Server.Name, sessionId, state.Caller.AgentId))
            {
                await session.DisposeAsync();
                await FailAsync(context, flow, parsed, verdicts, ErrorCatalogue.McpSessionsFull, "no more mcp sessions can be opened now", Stopwatch.GetElapsedTime(started));
                return;
            }

            _sessions[(state.Server.Name, sessionId)] = session;
            if (state.DeclaresUrlElicitation)
            {
                _bindings.RememberUrlElicitation(state.Server.Name, sessionId);
            }

            context.Response.Headers[McpHeaders.SessionId] = sessionId;
        }
        else if (!_sessions.TryGetValue((state.Server.Name, sessionId), out session) || !session.IsAlive)
        {
            await FailAsync(context, flow, parsed, verdicts, ErrorCatalogue.McpSessionUnknown, "the session's stdio server is gone; initialize again", Stopwatch.GetElapsedTime(started));
            return;
        }

        var waits = new List<(JsonRpcId ClientId, string OurId, Task<byte[]> Answer)>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(state.Server.Timeout);
        try
        {
            foreach (var message in parsed.Messages)
            {
                if (message.Kind == JsonRpcMessageKind.Request)
                {
                    var ours = session.NextId();
                    waits.Add((message.Id!.Value, ours, session.Expect(ours)));
                    await session.SendAsync(JsonRpcIdRewrite.WithId(message.Raw, ours), deadline.Token);
                }
                else
                {
                    await session.SendAsync(message.Raw, deadline.Token);
                }
            }

            await Task.WhenAll(waits.Select(w => w.Answer)).WaitAsync(deadline.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException && !context.RequestAborted.IsCancellationRequested)
        {
            foreach (var w in waits)
            {
                session.Forget(w.OurId);
            }

            var code = e is OperationCanceledException ? ErrorCatalogue.UpstreamTimeout : ErrorCatalogue.UpstreamUnavailable;
            McpLog.ForwardFailed(_logger, flow.DecisionId, state.Server.Name, e.GetType().Name);
            await FailAsync(context, flow, parsed, verdicts, code, "the stdio mcp server did not answer", Stopwatch.GetElapsedTime(started));
            return;
        }

        if (waits.Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            _flow.Journal.PostOutcome(flow, flow.DecisionId, 202, 0, Stopwatch.GetElapsedTime(started), null);
            return;
        }

        var rewriter = new McpAnswerRewriter(state, lists, _flow, _pins);
        var answers = new List<ReadOnlyMemory<byte>>();
        foreach (var w in waits)
        {
            var answer = JsonRpcIdRewrite.WithId(await w.Answer, w.ClientId.RawJson);
            answers.Add(await rewriter.RewriteAsync(answer, context.RequestAborted) ?? answer);
        }

        var body = JsonRpcResponseBody.Build(parsed.IsBatch, answers)!;
        await McpVerdicts.WriteAsync(context, StatusCodes.Status200OK, body);
        await context.Response.CompleteAsync();
        _flow.Journal.PostOutcome(flow, flow.DecisionId, 200, body.Length, Stopwatch.GetElapsedTime(started), null);
    }

    /// <summary>GET: the server's own messages as an SSE stream. DELETE: ends the session. Returns the status sent.</summary>
    public async Task<int> PassThroughAsync(HttpContext context, McpRequestState state, string? sessionId)
    {
        if (sessionId is null || !_sessions.TryGetValue((state.Server.Name, sessionId), out var session))
        {
            context.Response.StatusCode = sessionId is null ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound;
            return context.Response.StatusCode;
        }

        if (HttpMethods.IsDelete(context.Request.Method))
        {
            if (_sessions.TryRemove((state.Server.Name, sessionId), out var ended))
            {
                await ended.DisposeAsync();
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            return 200;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-store";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await context.Response.StartAsync(context.RequestAborted);
        try
        {
            await foreach (var message in session.ServerMessages.Reader.ReadAllAsync(context.RequestAborted))
            {
                var wire = Encoding.UTF8.GetBytes("event: message\ndata: " + Encoding.UTF8.GetString(message) + "\n\n");
                await context.Response.Body.WriteAsync(wire, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client closed its stream.
        }

        return 200;
    }

    // Allowed, but nothing could be forwarded: every request gets the error, and the outcome records it.
    private async Task FailAsync(HttpContext context, FlowRequest flow, JsonRpcParseResult parsed, IReadOnlyList<McpMessageVerdict> verdicts, ErrorCode code, string message, TimeSpan latency)
    {
        await McpVerdicts.WriteAsync(context, code.HttpStatus, McpVerdicts.FailureBody(verdicts, parsed.IsBatch, code, message));
        _flow.Journal.PostOutcome(flow, flow.DecisionId, code.HttpStatus, 0, latency, code);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var key in _sessions.Keys)
        {
            if (_sessions.TryRemove(key, out var session))
            {
                await session.DisposeAsync();
            }
        }
    }
}
