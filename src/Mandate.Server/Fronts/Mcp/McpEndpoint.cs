using System.Net.Http.Headers;
using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Core.Mcp;
using Mandate.Server.Configuration;
using Mandate.Server.Flow;
using Mandate.Server.Fronts.Http;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// One MCP endpoint (Streamable HTTP) after the caller is resolved. A POST is read (size cap), parsed strictly, and
/// every message is decided by the flow and recorded before anything is forwarded; the whole body is forwarded only
/// when every message is allowed and every record is durable (a batch is all or nothing). GET (the server's SSE
/// stream) and DELETE (end of session) pass through for the session's own agent only. Stdio servers take the same
/// path up to forwarding, then <see cref="StdioMcpRelay"/>.
/// </summary>
public sealed class McpEndpoint
{
    private const int MaxAnswerBytes = 32 * 1024 * 1024;
    private readonly McpMessageDecider _decider;
    private readonly DecisionFlow _flow;
    private readonly McpSessionBindings _sessions;
    private readonly McpRelay _relay;
    private readonly StdioMcpRelay _stdio;
    private readonly McpUpstreamProbe _probe;
    private readonly McpLegacyBridge _bridge;
    private readonly McpToolRegistry _tools;

    /// <summary>Creates the endpoint.</summary>
    public McpEndpoint(McpMessageDecider decider, DecisionFlow flow, McpSessionBindings sessions, McpRelay relay, StdioMcpRelay stdio, McpUpstreamProbe probe, McpLegacyBridge bridge, McpToolRegistry tools)
    {
        _decider = decider;
        _flow = flow;
        _sessions = sessions;
        _relay = relay;
        _stdio = stdio;
        _probe = probe;
        _bridge = bridge;
        _tools = tools;
    }

    /// <summary>Handles one request for <paramref name="server"/>.</summary>
    public async Task HandleAsync(HttpContext context, HttpRequestState http, McpServerConfig server)
    {
        var state = new McpRequestState(http, server);
        var serverSubject = new CallSubject(null, McpCallClassifier.ServerEntity(server.Name), state.UpstreamName);
        var versions = context.Request.Headers[McpHeaders.ProtocolVersion];
        var isPost = HttpMethods.IsPost(context.Request.Method);
        // A POST's unknown version is answered after its body is read, as the JSON-RPC error a dual-era client reads.
        if (versions.Count > 1 || (versions.Count == 1 && !isPost && !McpProtocolVersions.IsKnown(versions[0])))
        {
            await RefuseAsync(context, state, serverSubject, ErrorCatalogue.McpProtocolVersion, $"unsupported {McpHeaders.ProtocolVersion}");
            return;
        }

        var sessionIds = context.Request.Headers[McpHeaders.SessionId];
        if (sessionIds.Count > 1)
        {
            await RefuseAsync(context, state, serverSubject, ErrorCatalogue.McpSessionHeader, $"one {McpHeaders.SessionId} header at most");
            return;
        }

        var sessionId = sessionIds.Count == 1 ? sessionIds[0] : null;
        if (sessionId is not null && !isPost && !_sessions.IsOwner(server.Name, sessionId, state.Caller.AgentId))
        {
            // Unknown and foreign sessions get the same answer, so a session id's existence is not revealed.
            await RefuseAsync(context, state, serverSubject, ErrorCatalogue.McpSessionUnknown, "no such session for this agent; nothing was forwarded");
            return;
        }

        if (isPost)
        {
            state = state with { ApprovalHeader = ApprovalHeader.Read(context.Request) };
            await PostAsync(context, state, versions.Count == 1 ? versions[0] : null, sessionId);
        }
        else if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsDelete(context.Request.Method))
        {
            var isGet = HttpMethods.IsGet(context.Request.Method);
            var verdict = await _flow.RecordAsync(state.Flow, serverSubject, Verdict.Allow(isGet ? ErrorCatalogue.McpStream : ErrorCatalogue.McpSessionEnd), state.Flow.DecisionId);
            if (!verdict.IsAllowed)
            {
                await HttpVerdicts.WriteAsync(context, state.Flow.DecisionId, verdict);
                return;
            }

            var status = server.Url is null
                ? await _stdio.PassThroughAsync(context, state, sessionId)
                : await _relay.PassThroughAsync(context, state, sessionId);
            if (!isGet && sessionId is not null && status is >= 200 and < 300)
            {
                _sessions.Forget(server.Name, sessionId);
            }
        }
        else
        {
            context.Response.Headers.Allow = "GET, POST, DELETE";
            await RefuseAsync(context, state, serverSubject, ErrorCatalogue.McpMethodNotAllowed, "an mcp endpoint takes GET, POST and DELETE");
        }
    }

    private async Task PostAsync(HttpContext context, McpRequestState state, string? version, string? sessionId)
    {
        var flow = state.Flow;
        var serverSubject = new CallSubject(null, McpCallClassifier.ServerEntity(state.Server.Name), state.UpstreamName);
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType) || !string.Equals(mediaType.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            await RefuseAsync(context, state, serverSubject, ErrorCatalogue.McpContentType, "an mcp message is posted as application/json");
            return;
        }

        var max = flow.Snapshot.Config.Mcp.MaxRequestBytes;
        var body = await ReadCappedAsync(context, max);
        if (body is null)
        {
            await RefuseBodyAsync(context, state, serverSubject, ErrorCatalogue.JsonRpcTooLarge, $"the body is larger than {max} bytes");
            return;
        }

        // Without the header a 2025-03-26 peer is assumed (as the 2025-06-18 transport says), the one version with batches.
        var parsed = JsonRpcParser.Parse(body, new JsonRpcLimits(MaxBytes: max), McpProtocolVersions.AllowsBatch(version ?? McpProtocolVersions.V20250326));
        if ((parsed.Error ?? McpCallClassifier.CheckBatch(parsed)) is { } bodyError)
        {
            await RefuseBodyAsync(context, state, serverSubject, bodyError.Rule, bodyError.Message);
            return;
        }

        var firstId = parsed.IsBatch ? null : parsed.Messages[0].Id;
        if ((McpModernFront.CheckHeaderVersion(version) ?? (McpModernFront.IsModern(parsed, version) ? CheckModern(context, state, parsed, out state) : null)) is { } refusal)
        {
            await _flow.RefuseAsync(flow, serverSubject, refusal.Code, refusal.Detail);
            await McpModernFront.WriteAsync(context, firstId, flow.DecisionId, refusal);
            return;
        }

        if (state.Modern)
        {
            // A modern request belongs to no session: an Mcp-Session-Id it carries is ignored, never checked or passed on.
            sessionId = null;
        }
        else if (!await CheckLegacyAsync(context, state, parsed, sessionId, serverSubject))
        {
            return;
        }
        else
        {
            state = state with
            {
                UrlElicitation = sessionId is not null && McpProtocolVersions.HasUrlElicitation(version) && _sessions.SupportsUrlElicitation(state.Server.Name, sessionId),
            };
        }

        if (state.Modern && parsed.Messages[0] is { Method: McpMethods.ServerDiscover, Id: { } discoverId })
        {
            state = await WithProfileAsync(context, state, null);
            // Answered by Mandate for this caller (the upstream's capabilities narrowed to what the caller could list).
            var recordedDiscover = await _flow.RecordAsync(flow, serverSubject, Verdict.Allow(ErrorCatalogue.McpPlumbing), flow.DecisionId);
            await McpVerdicts.WriteAsync(context, recordedDiscover.IsAllowed ? StatusCodes.Status200OK : recordedDiscover.Code.HttpStatus, recordedDiscover.IsAllowed
                ? McpModernFront.Discover(discoverId, state, state.Profile, _flow)
                : JsonRpcErrors.ToBytes(discoverId, McpVerdicts.Error(recordedDiscover.Code, recordedDiscover.Detail), McpVerdicts.DecisionData(flow.DecisionId)));
            return;
        }

        var verdicts = new List<McpMessageVerdict>(parsed.Messages.Count);
        for (var i = 0; i < parsed.Messages.Count; i++)
        {
            var decisionId = i == 0 ? flow.DecisionId : DecisionIds.New();
            verdicts.Add(await _decider.DecideAsync(state, parsed.Messages[i], decisionId, context.RequestAborted));
        }

        if (verdicts.Any(v => !v.Verdict.IsAllowed))
        {
            await RefuseAllAsync(context, state, parsed.IsBatch, verdicts);
            return;
        }

        // The records of one body are appended together (one group commit), then all must be durable.
        // INVARIANT: nothing is forwarded unless every message's allow is durable.
        var recorded = await Task.WhenAll(verdicts.Select(v => _flow.RecordAsync(flow, v.Subject, v.Decision, v.DecisionId).AsTask()));
        if (recorded.FirstOrDefault(v => !v.IsAllowed) is { } failed)
        {
            await McpVerdicts.WriteAsync(context, failed.Code.HttpStatus, McpVerdicts.FailureBody(verdicts, parsed.IsBatch, failed.Code, failed.Detail));
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

        // Only now, with every message decided and recorded, is the upstream asked anything (its era, when not yet known).
        state = await WithProfileAsync(context, state, sessionId);
        if (McpLegacyBridge.Applies(state) && await _bridge.TryAnswerAsync(context, state, parsed, sessionId))
        {
            return;
        }

        if (state.Server.Url is null)
        {
            await _stdio.PostAsync(context, state, parsed, lists, verdicts, sessionId);
        }
        else
        {
            await _relay.PostAsync(context, state, body, parsed, lists, verdicts, sessionId, MaxAnswerBytes);
        }
    }

    private async Task<McpRequestState> WithProfileAsync(HttpContext context, McpRequestState state, string? sessionId) =>
        state.Server.Url is null ? state : state with
        {
            Profile = await _probe.ProfileAsync(state.Server, context.RequestAborted),
            BridgedMeta = !state.Modern && sessionId is not null ? _sessions.Bridged(state.Server.Name, sessionId) : null,
        };

    private McpModernFront.Refusal? CheckModern(HttpContext context, McpRequestState state, JsonRpcParseResult parsed, out McpRequestState modern)
    {
        var message = parsed.Messages[0];
        var tool = message.Method == McpMethods.ToolsCall && message.Params is { } p && p.TryGetProperty("name", out var n) && n.ValueKind == System.Text.Json.JsonValueKind.String
            ? n.GetString()
            : null;
        var schema = tool is not null && _tools.LastSeen(state.Server.Name, tool) is { } definition && definition.TryGetProperty("inputSchema", out var s) ? s : (System.Text.Json.JsonElement?)null;
        var refusal = McpModernFront.Check(context, parsed, state.Server.Name, schema, out var meta);
        modern = state with { Modern = true, Meta = meta, UrlElicitation = meta.DeclaresUrlElicitation };
        if (refusal is null && state.Server.Url is null)
        {
            // A stdio server runs one process per legacy session; it is not bridged to stateless clients yet.
            return new McpModernFront.Refusal(ErrorCatalogue.McpSessionRequired, "this stdio server keeps a session: use a 2025 protocol version and initialize first");
        }

        return refusal;
    }

    // The session rules of the handshake era: the session is the agent's own, a stdio server's starts with initialize,
    // mirrored headers (optional) match the body.
    private async Task<bool> CheckLegacyAsync(HttpContext context, McpRequestState state, JsonRpcParseResult parsed, string? sessionId, CallSubject serverSubject)
    {
        if (sessionId is not null && !_sessions.IsOwner(state.Server.Name, sessionId, state.Caller.AgentId))
        {
            // Unknown and foreign sessions get the same answer, so a session id's existence is not revealed.
            await RefuseAsync(context, state, serverSubject, ErrorCatalogue.McpSessionUnknown, "no such session for this agent; nothing was forwarded");
            return false;
        }

        if (state.Server.Url is null && sessionId is null &&
            !(parsed.Messages is [{ Kind: JsonRpcMessageKind.Request, Method: McpMethods.Initialize }] && !parsed.IsBatch))
        {
            // A stdio server runs one process per session, started by the session's initialize.
            await RefuseBodyAsync(context, state, serverSubject, ErrorCatalogue.McpSessionRequired, "send initialize first (this server keeps a session)");
            return false;
        }

        if (McpMirroredHeaders.Mismatch(context, parsed, state.Server.Name, modern: false, null, null) is { } mismatch)
        {
            await RefuseBodyAsync(context, state, serverSubject, ErrorCatalogue.McpHeaderMismatch, mismatch);
            return false;
        }

        if (parsed.Messages is [{ Method: McpMethods.Initialize } init] && McpInitialize.DeclaresUrlElicitation(init))
        {
            state.DeclaresUrlElicitation = true;
        }

        return true;
    }

    private async Task RefuseAllAsync(HttpContext context, McpRequestState state, bool isBatch, List<McpMessageVerdict> verdicts)
    {
        var answers = new List<ReadOnlyMemory<byte>>();
        foreach (var v in verdicts)
        {
            if (v.Verdict.IsAllowed)
            {
                // All or nothing: an allowed message of a refused batch is not forwarded either (see docs/mcp.md).
                _flow.Settle(v.Decision);
                v.Decision = FlowDecision.Of(Verdict.Refuse(ErrorCatalogue.McpBatchRefused, "another message of this batch was refused; nothing was forwarded"));
            }

            await _flow.RecordAsync(state.Flow, v.Subject, v.Decision, v.DecisionId);
            // Requests get an answer, and so do messages too malformed to know (their id may be null); notifications and
            // client responses have none.
            if (v.Message.Kind is JsonRpcMessageKind.Request or JsonRpcMessageKind.Invalid)
            {
                answers.Add(McpVerdicts.ErrorResponse(v.Message.Id, v.DecisionId, v.Verdict, state.UrlElicitation, state.Modern, IsRoundTrip(v.Message.Method)));
            }
        }

        if (state.Modern && verdicts is [var only] && only.Verdict.Code == ErrorCatalogue.McpUnknownMethod)
        {
            // The 2026-07-28 transport: a method the server does not implement is 404 with -32601.
            await McpVerdicts.WriteAsync(context, StatusCodes.Status404NotFound, answers[0].ToArray());
            return;
        }

        var body = JsonRpcResponseBody.Build(isBatch, answers);
        if (body is null)
        {
            // Only notifications: no JSON-RPC answer exists for them, so the refusal is an HTTP 400 with an id-less error.
            var first = verdicts.First(v => v.Verdict.Code != ErrorCatalogue.McpBatchRefused);
            body = JsonRpcErrors.ToBytes(null, new JsonRpcError(first.Verdict.Code, "the message was refused; nothing was forwarded"),
                McpVerdicts.DecisionData(first.DecisionId));
            await McpVerdicts.WriteAsync(context, StatusCodes.Status400BadRequest, body);
            return;
        }

        await McpVerdicts.WriteAsync(context, StatusCodes.Status200OK, body);
    }

    // Refusals of the endpoint's HTTP rules: problem+json, as on the proxy.
    private async Task RefuseAsync(HttpContext context, McpRequestState state, CallSubject subject, ErrorCode code, string detail)
    {
        var verdict = await _flow.RefuseAsync(state.Flow, subject, code, detail);
        await HttpVerdicts.WriteAsync(context, state.Flow.DecisionId, verdict);
    }

    // Refusals of a whole body: a JSON-RPC error without an id, with the code's status.
    private async Task RefuseBodyAsync(HttpContext context, McpRequestState state, CallSubject subject, ErrorCode code, string detail)
    {
        var verdict = await _flow.RefuseAsync(state.Flow, subject, code, detail);
        await McpVerdicts.WriteAsync(context, code.HttpStatus, JsonRpcErrors.ToBytes(null, McpVerdicts.Error(code, verdict.Detail), McpVerdicts.DecisionData(state.Flow.DecisionId)));
    }

    // The requests a 2026-07-28 server may answer with input_required (and so the ones a step-up becomes a round of).
    private static bool IsRoundTrip(string? method) => method is McpMethods.ToolsCall or McpMethods.PromptsGet or McpMethods.ResourcesRead;

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
}
