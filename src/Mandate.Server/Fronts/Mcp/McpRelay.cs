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
    private readonly McpEraBridge _bridge;
    private readonly McpUpstreamRequests _requests;
    private readonly ILogger<McpRelay> _logger;

    /// <summary>Creates the relay.</summary>
    public McpRelay(McpUpstreamClient client, IUpstreamSecrets secrets, McpSessionBindings sessions, DecisionFlow flow, McpToolPins pins, McpEraBridge bridge, McpUpstreamRequests requests, ILogger<McpRelay> logger)
    {
        _bridge = bridge;
        _requests = requests;
        _client = client;
        _secrets = secrets;
        _sessions = sessions;
        _flow = flow;
        _pins = pins;
        _logger = logger;
    }

    /// <summary>
    /// Forwards an allowed POST body and relays the answer, in the upstream's era: as it came when the eras match; a
    /// modern request to a legacy server without its per-request keys, on the session Mandate holds for the caller
    /// (<see cref="McpEraBridge"/>); a legacy client's request to a modern-only server with the declarations its
    /// session keeps, as a modern request.
    /// </summary>
    public async Task PostAsync(HttpContext context, McpRequestState state, byte[] body, JsonRpcParseResult parsed, IReadOnlyDictionary<JsonRpcId, McpListKind> lists, IReadOnlyList<McpMessageVerdict> verdicts, string? sessionId, int maxAnswerBytes)
    {
        var methods = new Dictionary<JsonRpcId, string>();
        foreach (var m in parsed.Messages)
        {
            if (m is { Kind: JsonRpcMessageKind.Request, Id: { } id, Method: { } method })
            {
                methods[id] = method;
            }
        }

        var upstreamBody = body;
        var headers = new List<(string Name, string Value)>();
        var version = context.Request.Headers[McpHeaders.ProtocolVersion] is { Count: 1 } v ? v[0] : null;
        var upstreamSession = sessionId;
        McpBridgeSession? bridge = null;
        if (state.Modern)
        {
            upstreamBody = McpApprovalRound.Strip(parsed.Messages[0]) ?? body;
            if (!state.Profile.Modern)
            {
                bridge = await _bridge.SessionAsync(state, context.RequestAborted);
                if (bridge is null)
                {
                    await FailAsync(context, state.Flow, verdicts, parsed.IsBatch, ErrorCatalogue.UpstreamUnavailable, "the mcp server could not be reached", TimeSpan.Zero);
                    return;
                }

                upstreamBody = McpEraRewrite.ToLegacyRequest(upstreamBody);
                version = bridge.Version;
                upstreamSession = bridge.SessionId;
            }
            else
            {
                McpUpstreamPost.CopyMirroredHeaders(context, headers, withParams: true);
            }
        }
        else if (state.BridgedMeta is { } meta)
        {
            if (parsed.IsBatch)
            {
                await FailAsync(context, state.Flow, verdicts, true, ErrorCatalogue.McpEraTranslation, "this server takes no batches (mcp 2026-07-28); send the messages one by one", TimeSpan.Zero);
                return;
            }

            upstreamBody = McpEraRewrite.ToModernRequest(body, meta);
            version = McpProtocolVersions.V20260728;
            upstreamSession = null;
            headers.AddRange(McpUpstreamPost.MirroredHeaders(parsed.Messages[0]));
        }
        else
        {
            McpUpstreamPost.CopyMirroredHeaders(context, headers, withParams: false);
        }

        var rewriter = new McpAnswerRewriter(state, lists, _flow, _pins, methods);
        var status = await SendAndRelayAsync(context, state, () => McpUpstreamPost.Build(context, state, upstreamBody, version, upstreamSession, headers), rewriter, verdicts, parsed.IsBatch, maxAnswerBytes,
            holdNotFound: bridge is not null);
        if (status == HeldNotFound)
        {
            // The legacy server forgot the session Mandate held for this caller (restart, expiry): one new session, one retry.
            await _bridge.ForgetAsync(state, context.RequestAborted);
            bridge = await _bridge.SessionAsync(state, context.RequestAborted);
            if (bridge is null)
            {
                await FailAsync(context, state.Flow, verdicts, parsed.IsBatch, ErrorCatalogue.UpstreamUnavailable, "the mcp server could not be reached", TimeSpan.Zero);
                return;
            }

            version = bridge.Version;
            upstreamSession = bridge.SessionId;
            rewriter = new McpAnswerRewriter(state, lists, _flow, _pins, methods);
            await SendAndRelayAsync(context, state, () => McpUpstreamPost.Build(context, state, upstreamBody, version, upstreamSession, headers), rewriter, verdicts, parsed.IsBatch, maxAnswerBytes, holdNotFound: false);
        }

        await AnswerRefusedAsync(state, rewriter, upstreamSession, version);
    }

    // Requests the server sent the client that the policies refused never reached it; the server gets the refusal as
    // their answer, so it does not wait for one.
    private async Task AnswerRefusedAsync(McpRequestState state, McpAnswerRewriter rewriter, string? upstreamSession, string? version)
    {
        foreach (var id in rewriter.RefusedServerRequests)
        {
            var answer = new System.Text.Json.Nodes.JsonObject
            {
                ["jsonrpc"] = "2.0",
                ["id"] = System.Text.Json.Nodes.JsonNode.Parse(id.GetRawText()),
                ["error"] = new System.Text.Json.Nodes.JsonObject { ["code"] = ErrorCatalogue.McpServerRequestDenied.JsonRpc, ["message"] = "refused by mandate's policies" },
            };
            var headers = new Dictionary<string, string>();
            if (upstreamSession is not null)
            {
                headers[McpHeaders.SessionId] = upstreamSession;
            }

            if (version is not null)
            {
                headers[McpHeaders.ProtocolVersion] = version;
            }

            try
            {
                using var timeout = new CancellationTokenSource(state.Server.Timeout);
                await _requests.SendAsync(state.Server, answer, headers, timeout.Token);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                McpLog.ForwardFailed(_logger, state.Flow.DecisionId, state.Server.Name, e.GetType().Name);
            }
        }
    }

    /// <summary>Forwards a GET (the server's SSE stream) or DELETE (end of session); returns the upstream status.</summary>
    public async Task<int> PassThroughAsync(HttpContext context, McpRequestState state, string? sessionId)
    {
        var version = context.Request.Headers[McpHeaders.ProtocolVersion] is { Count: 1 } v ? v[0] : null;
        HttpRequestMessage Build()
        {
            var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), state.Server.Url);
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

            if (version is not null)
            {
                request.Headers.TryAddWithoutValidation(McpHeaders.ProtocolVersion, version);
            }

            if (sessionId is not null)
            {
                request.Headers.TryAddWithoutValidation(McpHeaders.SessionId, sessionId);
            }

            return request;
        }

        // Nothing was asked on this stream, but what arrives on it is still filtered and decided (see the rewriter).
        var guard = new McpAnswerRewriter(state, new Dictionary<JsonRpcId, McpListKind>(), _flow, _pins);
        var status = await SendAndRelayAsync(context, state, Build, guard, [], false, MaxEventChars, holdNotFound: false);
        await AnswerRefusedAsync(state, guard, sessionId, version);
        return status;
    }

    // What SendAndRelayAsync returns for a 404 it held back (holdNotFound): nothing was written to the client.
    private const int HeldNotFound = -404;

    private async Task<int> SendAndRelayAsync(HttpContext context, McpRequestState state, Func<HttpRequestMessage> build, McpAnswerRewriter rewriter, IReadOnlyList<McpMessageVerdict> verdicts, bool isBatch, int maxAnswerBytes, bool holdNotFound)
    {
        var flow = state.Flow;
        using var request = build();
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

        // The upstream call is a client span of the request's trace, and the MCP server continues that trace.
        using var span = UpstreamSpans.Start("mandate.mcp.upstream", state.UpstreamName, state.Server.Url!, request.Method.Method);
        if ((span ?? flow.Telemetry?.Span) is { } trace)
        {
            UpstreamSpans.Inject(trace, request.Headers);
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
            UpstreamSpans.End(span, 0, code.Code);
            McpLog.ForwardFailed(_logger, flow.DecisionId, state.Server.Name, e.GetType().Name);
            return await FailAsync(context, flow, verdicts, isBatch, code, "the mcp server could not be reached", Stopwatch.GetElapsedTime(started));
        }

        using (response)
        {
            // The headers arrived in time; an event stream may now stay open as long as the client keeps it.
            deadline.CancelAfter(Timeout.InfiniteTimeSpan);
            if (holdNotFound && response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return HeldNotFound;
            }

            // A modern client has no session: whatever a legacy server issues stays with the session Mandate holds.
            if (!state.Modern && response.Headers.TryGetValues(McpHeaders.SessionId, out var issued))
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

            UpstreamSpans.End(span, (int)response.StatusCode, error?.Code);
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
            if (e.Data is { } data && await rewriter.RewriteAsync(Encoding.UTF8.GetBytes(data), context.RequestAborted) is { } rewritten)
            {
                if (rewritten.Length == 0)
                {
                    continue; // refused by the policies: the client never sees it
                }

                relayed = e.WithData(Encoding.UTF8.GetString(rewritten));
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

    // Allowed, but nothing could be forwarded (or the answer could not be relayed): every request gets the error,
    // and the outcome records it.
    private async Task<int> FailAsync(HttpContext context, FlowRequest flow, IReadOnlyList<McpMessageVerdict> verdicts, bool isBatch, ErrorCode code, string message, TimeSpan latency)
    {
        await McpVerdicts.WriteAsync(context, code.HttpStatus, McpVerdicts.FailureBody(verdicts, isBatch, code, message));
        _flow.Journal.PostOutcome(flow, flow.DecisionId, code.HttpStatus, 0, latency, code);
        return code.HttpStatus;
    }
}
