using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Core.Mcp;
using Mandate.Server.Configuration;
using Mandate.Server.Flow;
using Mandate.Server.Telemetry;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// Translates one client message into the flow's terms and asks the flow: the classifier's refusals, plumbing and
/// client responses (forwarded without a decision), a changed tool definition (<c>mcp.tool_changed</c>), and
/// otherwise a <see cref="FlowCall"/> — the message's action on its resource, with the call's arguments as
/// <c>context.args</c> — decided by <see cref="DecisionFlow"/> with every rule the HTTP front has (task tokens and
/// their intent, delegation depth, policies). Records nothing.
/// </summary>
public sealed class McpMessageDecider
{
    private readonly DecisionFlow _flow;
    private readonly McpToolPins _pins;

    /// <summary>Creates the decider.</summary>
    public McpMessageDecider(DecisionFlow flow, McpToolPins pins)
    {
        _flow = flow;
        _pins = pins;
    }

    /// <summary>The verdict for one message.</summary>
    public async Task<McpMessageVerdict> DecideAsync(McpRequestState state, JsonRpcMessage message, string decisionId, CancellationToken cancellationToken)
    {
        var server = state.Server;
        var span = FlowTelemetry.StartClassify();
        var c = McpCallClassifier.Classify(message, server.Name, state.Modern);
        span?.SetTag(Telemetry.SpanAttributes.McpServer, server.Name);
        span?.SetTag(Telemetry.SpanAttributes.McpMethod, c.Method);
        var methodSubject = new CallSubject(
            c.Method is null ? null : new EntityRef(McpEntityTypes.Action, c.Method),
            McpCallClassifier.ServerEntity(server.Name),
            state.UpstreamName);
        switch (c.Kind)
        {
            case McpCallKind.Refused:
                var error = c.Error!;
                FlowTelemetry.Classified(span, state.Flow, null, null, error.Rule.Code);
                return Answer(message, c, decisionId, methodSubject, Verdict.Refuse(error.Rule, error.Message));
            case McpCallKind.Plumbing or McpCallKind.ClientResponse:
                FlowTelemetry.Classified(span, state.Flow, null, null);
                break;
        }

        switch (c.Kind)
        {
            case McpCallKind.Plumbing:
                return Answer(message, c, decisionId, methodSubject, Verdict.Allow(ErrorCatalogue.McpPlumbing));
            case McpCallKind.ClientResponse:
                return Answer(message, c, decisionId, methodSubject, Verdict.Allow(ErrorCatalogue.McpClientResponse));
        }

        var resource = c.Resource!;
        var toolConfig = c.ToolName is { } name && server.Tools.TryGetValue(name, out var t) ? t : null;
        var call = new FlowCall(c.ActionEntity!, resource)
        {
            // Items are `server/name`; a call on the server itself has no item name.
            ItemName = resource.Entity.Type == McpEntityTypes.McpServer ? null : resource.Entity.Id,
            Args = c.Method is McpMethods.ToolsCall or McpMethods.PromptsGet ? McpArguments.ToCedarJson(c.Arguments) : null,
            Upstream = state.UpstreamName,
            IsListing = c.FilterResult is not null,
            Labels = toolConfig?.Labels ?? [],
            // A tool may change anything unless its configuration says it only reads; other methods read.
            IsWrite = c.Method == McpMethods.ToolsCall && (toolConfig?.Write ?? true),
            ApprovalExpiry = toolConfig?.ApprovalExpiry,
            Durability = toolConfig?.Durability ?? default,
            ApprovalId = ApprovalId(message) ?? McpApprovalRound.ApprovalId(message) ?? state.ApprovalHeader,
        };
        FlowTelemetry.Classified(span, state.Flow, call, null);

        if (c.ToolName is { } tool && server.Pinning != McpPinningMode.Off)
        {
            var pin = await _pins.CheckCallAsync(server, tool, cancellationToken);
            if (pin is ToolPinVerdict.Changed or ToolPinVerdict.Unavailable)
            {
                var detail = pin == ToolPinVerdict.Changed
                    ? $"the definition of tool `{tool}` changed since it was approved; an administrator must accept it"
                    : $"the pin of tool `{tool}` could not be checked";
                return Answer(message, c, decisionId, call.Subject, Verdict.Refuse(ErrorCatalogue.McpToolChanged, detail));
            }
        }

        // The tool's inputSchema says what its arguments are: a wrong type never reaches a policy (which could not
        // have meant it) nor the server. Refused before the decision, the argument's path named.
        if (c.ToolName is { } typed && _pins.Registry.Arguments(server.Name, typed)?.Check(c.Arguments) is { } wrongType)
        {
            return Answer(message, c, decisionId, call.Subject, Verdict.Refuse(ErrorCatalogue.McpArgumentType, wrongType));
        }

        var decision = await _flow.DecideAsync(state.Flow, call, decisionId);
        if (c.ToolName is { } called && c.Method == McpMethods.ToolsCall)
        {
            // A tool the configuration names or a policy allowed is a real one; any other name an agent makes up is
            // counted as `_other`, so invented names cannot grow the metric without bound.
            var known = server.Tools.ContainsKey(called) || decision.Verdict.IsAllowed;
            GatewayMetrics.Count(GatewayMetrics.McpCalls, Telemetry.SpanAttributes.McpServer, server.Name, "mandate.mcp.tool", known ? called : "_other",
                Telemetry.SpanAttributes.Verdict, FlowTelemetry.Name(decision.Verdict.Kind));
        }

        return Answer(message, c, decisionId, call.Subject, decision);
    }

    /// <summary>The <c>_meta</c> key under which a client names the approval a call uses (the HTTP header works too).</summary>
    public const string ApprovalMetaKey = "mandate/approval";

    private static string? ApprovalId(JsonRpcMessage message) =>
        message.Params is { ValueKind: System.Text.Json.JsonValueKind.Object } p
        && p.TryGetProperty("_meta", out var meta) && meta.ValueKind == System.Text.Json.JsonValueKind.Object
        && meta.TryGetProperty(ApprovalMetaKey, out var id) && id.ValueKind == System.Text.Json.JsonValueKind.String
            ? id.GetString()
            : null;

    private static McpMessageVerdict Answer(JsonRpcMessage message, McpClassification c, string decisionId, CallSubject subject, Verdict verdict) =>
        Answer(message, c, decisionId, subject, FlowDecision.Of(verdict));

    private static McpMessageVerdict Answer(JsonRpcMessage message, McpClassification c, string decisionId, CallSubject subject, FlowDecision decision) => new()
    {
        Message = message,
        Classification = c,
        DecisionId = decisionId,
        Subject = subject,
        Decision = decision,
    };
}
