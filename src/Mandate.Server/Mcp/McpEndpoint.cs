using System.Diagnostics;
using System.Net.Http.Headers;
using Mandate.Core.Decisions;
using Mandate.Core.Mcp;
using Mandate.Server.Configuration;
using Mandate.Server.Forwarding;
using Mandate.Server.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Mcp;

/// <summary>
/// One MCP endpoint (Streamable HTTP) after the caller is identified. A POST is read (size cap), parsed strictly,
/// and every message is decided and recorded before anything is forwarded; the whole body is forwarded only when
/// every message is allowed and every record is durable (a batch is all or nothing). GET (the server's SSE
/// stream) and DELETE (end of session) pass through for the session's own agent only. Stdio servers take the same path up to
/// forwarding, then <see cref="StdioMcpRelay"/>.
/// </summary>
public sealed class McpEndpoint
{
    private const int MaxAnswerBytes = 32 * 1024 * 1024;
    private readonly McpCallDecider _decider;
    private readonly IDecisionRecorder _recorder;
    private readonly Refusal _refusal;
    private readonly McpSessionBindings _sessions;
    private readonly McpRelay _relay;
    private readonly StdioMcpRelay _stdio;
    private readonly TimeProvider _time;
    private readonly ILogger<McpEndpoint> _logger;

    /// <summary>Creates the endpoint.</summary>
    public McpEndpoint(McpCallDecider decider, IDecisionRecorder recorder, Refusal refusal, McpSessionBindings sessions, McpRelay relay, StdioMcpRelay stdio, TimeProvider time, ILogger<McpEndpoint> logger)
    {
        _decider = decider;
        _recorder = recorder;
        _refusal = refusal;
        _sessions = sessions;
        _relay = relay;
        _stdio = stdio;
        _time = time;
        _logger = logger;
    }

    /// <summary>Handles one request for <paramref name="server"/>.</summary>
    public async Task HandleAsync(HttpContext context, GatewayExchange exchange, McpServerConfig server)
    {
        exchange.Context = ContextualiseMiddleware.Build(context, exchange, _time.GetUtcNow());
        var state = new McpRequestState(exchange, server, exchange.Context);

        var versions = context.Request.Headers[McpHeaders.ProtocolVersion];
        if (versions.Count > 1 || (versions.Count == 1 && !McpHeaders.IsAcceptedVersion(versions[0] ?? "")))
        {
            await _refusal.RefuseAsync(context, exchange, StatusCodes.Status400BadRequest, "mcp.protocol_version", "bad request", $"unsupported {McpHeaders.ProtocolVersion}");
            return;
        }

        var sessionIds = context.Request.Headers[McpHeaders.SessionId];
        if (sessionIds.Count > 1)
        {
            await _refusal.RefuseAsync(context, exchange, StatusCodes.Status400BadRequest, "mcp.session_header", "bad request", $"one {McpHeaders.SessionId} header at most");
            return;
        }

        var sessionId = sessionIds.Count == 1 ? sessionIds[0] : null;
        if (sessionId is not null && !_sessions.IsOwner(server.Name, sessionId, state.Caller.AgentId))
        {
            // Unknown and foreign sessions get the same answer, so a session id's existence is not revealed.
            await _refusal.RefuseAsync(context, exchange, StatusCodes.Status404NotFound, "mcp.session_unknown", "not found", "no such session for this agent; nothing was forwarded");
            return;
        }

        if (HttpMethods.IsPost(context.Request.Method))
        {
            await PostAsync(context, state, versions.Count == 1 ? versions[0] : null);
        }
        else if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsDelete(context.Request.Method))
        {
            if (!await RecordAsync(state, exchange.DecisionId, DecisionOutcome.Allow, HttpMethods.IsGet(context.Request.Method) ? "mcp.stream" : "mcp.session_end", null, [], []))
            {
                await ProblemResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "audit.unavailable", "service unavailable", "the audit log could not record this request; nothing was forwarded", exchange.DecisionId);
                return;
            }

            exchange.Recorded = true;
            var status = server.Url is null
                ? await _stdio.PassThroughAsync(context, state, sessionId)
                : await _relay.PassThroughAsync(context, state, sessionId);
            if (HttpMethods.IsDelete(context.Request.Method) && sessionId is not null && status is >= 200 and < 300)
            {
                _sessions.Forget(server.Name, sessionId);
            }
        }
        else
        {
            context.Response.Headers.Allow = "GET, POST, DELETE";
            await _refusal.RefuseAsync(context, exchange, StatusCodes.Status405MethodNotAllowed, "mcp.method_not_allowed", "method not allowed", "an mcp endpoint takes GET, POST and DELETE");
        }
    }

    private async Task PostAsync(HttpContext context, McpRequestState state, string? version)
    {
        var exchange = state.Exchange;
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType) || !string.Equals(mediaType.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            await _refusal.RefuseAsync(context, exchange, StatusCodes.Status415UnsupportedMediaType, "mcp.content_type", "unsupported media type", "an mcp message is posted as application/json");
            return;
        }

        var max = exchange.Snapshot.Config.Mcp.MaxRequestBytes;
        var body = await ReadCappedAsync(context, max);
        if (body is null)
        {
            await _refusal.RecordAsync(context, exchange, JsonRpcRules.TooLarge, [], [$"body larger than {max} bytes"]);
            await WriteJsonRpcAsync(context, StatusCodes.Status413PayloadTooLarge,
                JsonRpcErrors.ToBytes(null, new JsonRpcError(JsonRpcErrorCodes.InvalidRequest, $"the body is larger than {max} bytes", JsonRpcRules.TooLarge), McpCallDecider.DecisionData(exchange.DecisionId)));
            return;
        }

        // Without the header a 2025-03-26 peer is assumed (as the 2025-06-18 transport says), the one version with batches.
        var parsed = JsonRpcParser.Parse(body, new JsonRpcLimits(MaxBytes: max), McpProtocolVersions.AllowsBatch(version ?? McpProtocolVersions.V20250326));
        if ((parsed.Error ?? McpCallClassifier.CheckBatch(parsed)) is { } bodyError)
        {
            await _refusal.RecordAsync(context, exchange, bodyError.Rule, [], [bodyError.Message]);
            await WriteJsonRpcAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.ToBytes(null, bodyError, McpCallDecider.DecisionData(exchange.DecisionId)));
            return;
        }

        var sessionId = context.Request.Headers[McpHeaders.SessionId].FirstOrDefault();
        if (state.Server.Url is null && sessionId is null &&
            !(parsed.Messages is [{ Kind: JsonRpcMessageKind.Request, Method: McpMethods.Initialize }] && !parsed.IsBatch))
        {
            // A stdio server runs one process per session, started by the session's initialize.
            await _refusal.RecordAsync(context, exchange, "mcp.session_required", [], ["a stdio server's session starts with initialize"]);
            await WriteJsonRpcAsync(context, StatusCodes.Status400BadRequest,
                JsonRpcErrors.ToBytes(null, new JsonRpcError(JsonRpcErrorCodes.InvalidRequest, "send initialize first (this server keeps a session)", "mcp.session_required"), McpCallDecider.DecisionData(exchange.DecisionId)));
            return;
        }

        if (HeaderMismatch(context, parsed, state.Server.Name) is { } mismatch)
        {
            await _refusal.RecordAsync(context, exchange, "mcp.header_mismatch", [], [mismatch]);
            await WriteJsonRpcAsync(context, StatusCodes.Status400BadRequest,
                JsonRpcErrors.ToBytes(null, new JsonRpcError(JsonRpcErrorCodes.InvalidRequest, mismatch, "mcp.header_mismatch"), McpCallDecider.DecisionData(exchange.DecisionId)));
            return;
        }

        var verdicts = new List<McpVerdict>(parsed.Messages.Count);
        for (var i = 0; i < parsed.Messages.Count; i++)
        {
            var decisionId = i == 0 ? exchange.DecisionId : DecisionIds.New();
            verdicts.Add(await _decider.DecideAsync(state, parsed.Messages[i], decisionId, context.RequestAborted));
        }

        exchange.Recorded = true;
        if (verdicts.Any(v => !v.Allowed))
        {
            await RefuseAllAsync(context, state, parsed.IsBatch, verdicts);
            return;
        }

        // The records of one body are appended together (one group commit), then all must be durable.
        var durable = await Task.WhenAll(verdicts.Select(v => RecordAsync(state, v.DecisionId, DecisionOutcome.Allow, v.Code, v, v.Policies, v.Errors)));
        if (durable.Contains(false))
        {
            // INVARIANT: nothing is forwarded unless every message's allow is durable.
            var error = new JsonRpcError(JsonRpcErrorCodes.InternalError, "the audit log could not record this call; nothing was forwarded", "audit.unavailable");
            var answers = verdicts.Where(x => x.Message.Kind == JsonRpcMessageKind.Request)
                .Select(x => (ReadOnlyMemory<byte>)JsonRpcErrors.ToBytes(x.Message.Id, error, McpCallDecider.DecisionData(x.DecisionId))).ToList();
            await WriteJsonRpcAsync(context, StatusCodes.Status503ServiceUnavailable, JsonRpcResponseBody.Build(parsed.IsBatch, answers) ?? JsonRpcErrors.ToBytes(null, error));
            return;
        }

        var lists = new Dictionary<JsonRpcId, McpListKind>();
        foreach (var v in verdicts)
        {
            if (v.Classification.FilterResult is { } kind && v.Message.Id is { } id)
            {
                lists[id] = kind;
            }
        }

        if (state.Server.Url is null)
        {
            await _stdio.PostAsync(context, state, parsed, lists, verdicts, sessionId);
        }
        else
        {
            await _relay.PostAsync(context, state, body, lists, verdicts, sessionId, MaxAnswerBytes);
        }
    }

    private async Task RefuseAllAsync(HttpContext context, McpRequestState state, bool isBatch, List<McpVerdict> verdicts)
    {
        var answers = new List<ReadOnlyMemory<byte>>();
        foreach (var v in verdicts)
        {
            var code = v.Code;
            if (v.Allowed)
            {
                // All or nothing: an allowed message of a refused batch is not forwarded either (see docs/mcp.md).
                code = "mcp.batch_refused";
                v.ErrorResponse = v.Message.Kind == JsonRpcMessageKind.Request
                    ? JsonRpcErrors.ToBytes(v.Message.Id, new JsonRpcError(JsonRpcErrorCodes.InvalidRequest, "another message of this batch was refused; nothing was forwarded", code), McpCallDecider.DecisionData(v.DecisionId))
                    : null;
            }

            await RecordAsync(state, v.DecisionId, DecisionOutcome.Deny, code, v, v.Policies, v.Errors);
            if (v.ErrorResponse is { } answer)
            {
                answers.Add(answer);
            }
        }

        var body = JsonRpcResponseBody.Build(isBatch, answers);
        if (body is null)
        {
            // Only notifications: no JSON-RPC answer exists for them, so the refusal is an HTTP 400 with an id-less error.
            var first = verdicts.First(v => !v.Allowed);
            body = JsonRpcErrors.ToBytes(null, new JsonRpcError(JsonRpcErrorCodes.InvalidRequest, "the message was refused; nothing was forwarded", first.Code), McpCallDecider.DecisionData(first.DecisionId));
            await WriteJsonRpcAsync(context, StatusCodes.Status400BadRequest, body);
            return;
        }

        await WriteJsonRpcAsync(context, StatusCodes.Status200OK, body);
    }

    // Newer clients repeat the method and name in headers for intermediaries; an upstream that routes on them must
    // see the same call Mandate decided, so they must match the body exactly (or be absent).
    private static string? HeaderMismatch(HttpContext context, JsonRpcParseResult parsed, string serverName)
    {
        var method = context.Request.Headers[McpHeaders.Method];
        var name = context.Request.Headers[McpHeaders.Name];
        if (method.Count == 0 && name.Count == 0)
        {
            return null;
        }

        if (parsed.IsBatch || parsed.Messages.Count != 1 || method.Count > 1 || name.Count > 1)
        {
            return $"{McpHeaders.Method} and {McpHeaders.Name} are allowed once, with a single message";
        }

        var message = parsed.Messages[0];
        if (method.Count == 1 && !string.Equals(method[0], message.Method, StringComparison.Ordinal))
        {
            return $"{McpHeaders.Method} does not match the message's method";
        }

        if (name.Count == 1)
        {
            var c = McpCallClassifier.Classify(message, serverName);
            var prefix = serverName + "/";
            var expected = c.Resource is { } r && r.Entity.Type != McpEntityTypes.McpServer && r.Entity.Id.StartsWith(prefix, StringComparison.Ordinal)
                ? r.Entity.Id[prefix.Length..]
                : null;
            if (!string.Equals(name[0], expected, StringComparison.Ordinal))
            {
                return $"{McpHeaders.Name} does not match the message's name";
            }
        }

        return null;
    }

    private async Task<bool> RecordAsync(McpRequestState state, string decisionId, DecisionOutcome outcome, string code, McpVerdict? verdict, IReadOnlyList<string> policies, IReadOnlyList<string> errors)
    {
        var record = new DecisionRecord(
            decisionId,
            _time.GetUtcNow(),
            outcome,
            code,
            state.Caller,
            verdict?.Action,
            verdict?.Resource ?? McpCallClassifier.ServerEntity(state.Server.Name),
            state.Context.Request,
            policies,
            errors,
            state.Exchange.Snapshot.Version,
            state.UpstreamName);
        try
        {
            var result = await _recorder.RecordDecisionAsync(record, CancellationToken.None);
            if (!result.IsDurable)
            {
                McpLog.AuditFailed(_logger, decisionId, result.Error ?? "unknown");
            }

            return result.IsDurable;
        }
        catch (Exception e)
        {
            McpLog.AuditFailed(_logger, decisionId, e.Message);
            return false;
        }
    }

    private static async Task<byte[]?> ReadCappedAsync(HttpContext context, int max)
    {
        if (context.Request.ContentLength is { } declared && declared > max)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Writes a JSON-RPC answer Mandate made itself.</summary>
    internal static async Task WriteJsonRpcAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
