using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Server.Flow;
using Mandate.Core.Mcp;
using Mandate.Server.Forwarding;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// Act, for MCP: sends what was decided to the upstream (the client's exact bytes, without its
/// <c>Authorization</c>, with the server's own credential from the vault) and relays the answer — JSON or an SSE
/// stream, list answers filtered in either — binding any session id the upstream issues to the calling agent.
/// Records the outcome.
/// </summary>
public sealed class McpRelay
{
    private const int MaxEventChars = 32 * 1024 * 1024;
    private readonly McpUpstreamClient _client;
    private readonly IUpstreamSecrets _secrets;
    private readonly McpSessionBindings _sessions;
    private readonly DecisionFlow _flow;
    private readonly McpToolPins _pins;
    private readonly ILogger<McpRelay> _logger;

    /// <summary>Creates the relay.</summary>
    public McpRelay(McpUpstreamClient client, IUpstreamSecrets secrets, McpSessionBindings sessions, DecisionFlow flow, McpToolPins pins, ILogger<McpRelay> logger)
    {
        _client = client;
        _secrets = secrets;
        _sessions = sessions;
        _flow = flow;
        _pins = pins;
        _logger = logger;
    }

    /// <summary>Forwards an allowed POST body and relays the answer.</summary>
    public async Task PostAsync(HttpContext context, McpRequestState state, byte[] body, bool isBatch, IReadOnlyDictionary<JsonRpcId, McpListKind> lists, IReadOnlyList<McpMessageVerdict> verdicts, string? sessionId, int maxAnswerBytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, state.Server.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var accept = context.Request.Headers.Accept.ToString();
        request.Headers.TryAddWithoutValidation("Accept", accept.Length > 0 ? accept : "application/json, text/event-stream");
        CopyMcpHeaders(context, request, sessionId, includeMethodHeaders: true);
        var rewriter = new McpAnswerRewriter(state, lists, _flow, _pins);
        await SendAndRelayAsync(context, state, request, rewriter, verdicts, isBatch, maxAnswerBytes);
    }

    /// <summary>Forwards a GET (the server's SSE stream) or DELETE (end of session); returns the upstream status.</summary>
    public async Task<int> PassThroughAsync(HttpContext context, McpRequestState state, string? sessionId)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), state.Server.Url);
        var accept = context.Request.Headers.Accept.ToString();
        if (accept.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var lastEventId = context.Request.Headers[McpHeaders.LastEventId];
        if (lastEventId.Count == 1)
        {
            request.Headers.TryAddWithoutValidation(McpHeaders.LastEventId, lastEventId[0]);
        }

        CopyMcpHeaders(context, request, sessionId, includeMethodHeaders: false);
        var noLists = new McpAnswerRewriter(state, new Dictionary<JsonRpcId, McpListKind>(), _flow, _pins);
        return await SendAndRelayAsync(context, state, request, noLists, [], false, MaxEventChars);
    }

    private async Task<int> SendAndRelayAsync(HttpContext context, McpRequestState state, HttpRequestMessage request, McpAnswerRewriter rewriter, IReadOnlyList<McpMessageVerdict> verdicts, bool isBatch, int maxAnswerBytes)
    {
        var flow = state.Flow;
        if (state.Server.Credential is { } c)
        {
            SecretLookup secret;
            try
            {
                secret = await _secrets.GetAsync(c.VaultName, context.RequestAborted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                secret = SecretLookup.Failed(e.GetType().Name);
            }

            if (secret.Value is null)
            {
                return await FailAsync(context, flow, verdicts, isBatch, ErrorCatalogue.UpstreamCredentialUnavailable, "the upstream credential is unavailable; nothing was forwarded", TimeSpan.Zero);
            }

            request.Headers.TryAddWithoutValidation(c.Header, c.Format.Replace("{secret}", secret.Value, StringComparison.Ordinal));
        }

        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(state.Server.Timeout);
        HttpResponseMessage response;
        try
        {
            response = await _client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            var code = e is OperationCanceledException ? ErrorCatalogue.UpstreamTimeout : ErrorCatalogue.UpstreamUnavailable;
            McpLog.ForwardFailed(_logger, flow.DecisionId, state.Server.Name, e.GetType().Name);
            return await FailAsync(context, flow, verdicts, isBatch, code, "the mcp server could not be reached", Stopwatch.GetElapsedTime(started));
        }

        using (response)
        {
            // The headers arrived in time; an event stream may now stay open as long as the client keeps it.
            deadline.CancelAfter(Timeout.InfiniteTimeSpan);
            if (response.Headers.TryGetValues(McpHeaders.SessionId, out var issued))
            {
                var id = issued.FirstOrDefault();
                if (id is null || !_sessions.TryBind(state.Server.Name, id, state.Caller.AgentId))
                {
                    McpLog.SessionConflict(_logger, state.Server.Name);
                    return await FailAsync(context, flow, verdicts, isBatch, ErrorCatalogue.McpSessionConflict, "the mcp server issued a session id that cannot be bound to this agent", Stopwatch.GetElapsedTime(started));
                }

                if (state.DeclaresUrlElicitation)
                {
                    _sessions.RememberUrlElicitation(state.Server.Name, id);
                }

                context.Response.Headers[McpHeaders.SessionId] = id;
            }

            context.Response.StatusCode = (int)response.StatusCode;
            var contentType = response.Content.Headers.ContentType;
            if (contentType is not null)
            {
                context.Response.ContentType = contentType.ToString();
            }

            context.Response.Headers.CacheControl = "no-store";
            long bytes;
            ErrorCode? error = null;
            try
            {
                bytes = contentType?.MediaType switch
                {
                    "text/event-stream" => await RelayEventsAsync(context, response, rewriter),
                    "application/json" => await RelayJsonAsync(context, response, rewriter, maxAnswerBytes),
                    _ => await RelayBytesAsync(context, response),
                };
            }
            catch (Exception e) when (e is IOException or InvalidDataException or HttpRequestException or OperationCanceledException or DecoderFallbackException)
            {
                // Headers may be out already: the stream ends early, which the client sees as a broken answer.
                bytes = -1;
                error = ErrorCatalogue.UpstreamStreamError;
                McpLog.ForwardFailed(_logger, flow.DecisionId, state.Server.Name, e.GetType().Name);
            }

            // End the answer first (an event stream ends only when this handler does): the outcome record does not
            // gate anything, so the client must not wait for its commit.
            if (error is null)
            {
                await context.Response.CompleteAsync();
            }

            _flow.Journal.PostOutcome(flow, flow.DecisionId, (int)response.StatusCode, Math.Max(0, bytes), Stopwatch.GetElapsedTime(started), error);
            return (int)response.StatusCode;
        }
    }

    private static async Task<long> RelayJsonAsync(HttpContext context, HttpResponseMessage response, McpAnswerRewriter rewriter, int maxAnswerBytes)
    {
        var body = await ReadCappedAsync(await response.Content.ReadAsStreamAsync(context.RequestAborted), maxAnswerBytes, context.RequestAborted)
            ?? throw new InvalidDataException($"the mcp server's answer is larger than {maxAnswerBytes} bytes");
        var output = await rewriter.RewriteAsync(body, context.RequestAborted) ?? body;
        context.Response.ContentLength = output.Length;
        await context.Response.Body.WriteAsync(output, context.RequestAborted);
        return output.Length;
    }

    private static async Task<long> RelayEventsAsync(HttpContext context, HttpResponseMessage response, McpAnswerRewriter rewriter)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await context.Response.StartAsync(context.RequestAborted);
        await using var upstream = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        long bytes = 0;
        await foreach (var e in SseEventReader.ReadAsync(upstream, MaxEventChars, context.RequestAborted))
        {
            var relayed = e;
            if (rewriter.IsActive && e.Data is { } data)
            {
                if (await rewriter.RewriteAsync(Encoding.UTF8.GetBytes(data), context.RequestAborted) is { } rewritten)
                {
                    relayed = e.WithData(Encoding.UTF8.GetString(rewritten));
                }
            }

            var wire = Encoding.UTF8.GetBytes(relayed.ToWire());
            await context.Response.Body.WriteAsync(wire, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            bytes += wire.Length;
        }

        return bytes;
    }

    private static async Task<long> RelayBytesAsync(HttpContext context, HttpResponseMessage response)
    {
        await using var upstream = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        var counting = new CountingStream(context.Response.Body);
        await upstream.CopyToAsync(counting, context.RequestAborted);
        return counting.BytesWritten;
    }

    private static async Task<byte[]?> ReadCappedAsync(Stream stream, int max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    // Only the MCP transport headers travel upstream; the client's Authorization, cookies and everything else stay here.
    private static void CopyMcpHeaders(HttpContext context, HttpRequestMessage request, string? sessionId, bool includeMethodHeaders)
    {
        if (context.Request.Headers[McpHeaders.ProtocolVersion] is { Count: 1 } version)
        {
            request.Headers.TryAddWithoutValidation(McpHeaders.ProtocolVersion, version[0]);
        }

        if (sessionId is not null)
        {
            request.Headers.TryAddWithoutValidation(McpHeaders.SessionId, sessionId);
        }

        if (includeMethodHeaders)
        {
            // Checked against the body by the endpoint before anything was decided.
            foreach (var name in new[] { McpHeaders.Method, McpHeaders.Name })
            {
                if (context.Request.Headers[name] is { Count: 1 } value)
                {
                    request.Headers.TryAddWithoutValidation(name, value[0]);
                }
            }
        }
    }

    // Allowed, but nothing could be forwarded (or the answer could not be relayed): every request gets the error,
    // and the outcome records it.
    private async Task<int> FailAsync(HttpContext context, FlowRequest flow, IReadOnlyList<McpMessageVerdict> verdicts, bool isBatch, ErrorCode code, string message, TimeSpan latency)
    {
        await McpVerdicts.WriteAsync(context, code.HttpStatus, McpVerdicts.FailureBody(verdicts, isBatch, code, message));
        _flow.Journal.PostOutcome(flow, flow.DecisionId, code.HttpStatus, 0, latency, code);
        return code.HttpStatus;
    }
}
