using System.Text.Json;
using Mandate.Core.Decisions;
using Mandate.Core.Mcp;
using Mandate.Server.Configuration;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Mcp;

/// <summary>
/// Decides each client message of a POST: refusals from the classifier, a changed tool definition
/// (<c>mcp.tool_changed</c>), and otherwise the snapshot's Cedar decision on the message's action and resource,
/// with <c>context.args</c> = the call's arguments. Fails closed: an exception is a deny.
/// </summary>
public sealed class McpCallDecider
{
    /// <summary>Rule code of a call to a tool whose definition changed since it was pinned.</summary>
    public const string ToolChanged = "mcp.tool_changed";

    /// <summary>Rule code of a decision that could not be made.</summary>
    public const string DecisionFailed = "decision.failed";

    private readonly McpToolPins _pins;
    private readonly ILogger<McpCallDecider> _logger;

    /// <summary>Creates the decider.</summary>
    public McpCallDecider(McpToolPins pins, ILogger<McpCallDecider> logger)
    {
        _pins = pins;
        _logger = logger;
    }

    /// <summary>The verdict for one message.</summary>
    public async Task<McpVerdict> DecideAsync(McpRequestState state, JsonRpcMessage message, string decisionId, CancellationToken cancellationToken)
    {
        var c = McpCallClassifier.Classify(message, state.Server.Name);
        switch (c.Kind)
        {
            case McpCallKind.Refused:
            {
                var error = c.Error!;
                return new McpVerdict
                {
                    Message = message, Classification = c, DecisionId = decisionId, Allowed = false, Code = error.Rule,
                    Action = c.Method is null ? null : new EntityRef(McpEntityTypes.Action, c.Method),
                    Resource = McpCallClassifier.ServerEntity(state.Server.Name),
                    Errors = [error.Message],
                    ErrorResponse = message.Kind == JsonRpcMessageKind.Notification ? null : JsonRpcErrors.ToBytes(message.Id, error, DecisionData(decisionId)),
                };
            }

            case McpCallKind.Plumbing or McpCallKind.ClientResponse:
                return new McpVerdict
                {
                    Message = message, Classification = c, DecisionId = decisionId, Allowed = true,
                    Code = c.Kind == McpCallKind.Plumbing ? "mcp.plumbing" : "mcp.client_response",
                    Action = c.Method is null ? null : new EntityRef(McpEntityTypes.Action, c.Method),
                    Resource = McpCallClassifier.ServerEntity(state.Server.Name),
                };
        }

        var action = c.ActionEntity!;
        var resource = c.Resource!;
        if (c.ToolName is { } tool && state.Server.Pinning != McpPinningMode.Off)
        {
            var pin = await _pins.CheckCallAsync(state.Server, tool, cancellationToken);
            if (pin is ToolPinVerdict.Changed or ToolPinVerdict.Unavailable)
            {
                var detail = pin == ToolPinVerdict.Changed
                    ? $"the definition of tool `{tool}` changed since it was approved; an administrator must accept it"
                    : $"the pin of tool `{tool}` could not be checked";
                return new McpVerdict
                {
                    Message = message, Classification = c, DecisionId = decisionId, Allowed = false, Code = ToolChanged,
                    Action = action, Resource = resource.Entity, Errors = [detail],
                    ErrorResponse = JsonRpcErrors.ToBytes(message.Id, new JsonRpcError(JsonRpcErrorCodes.PolicyDenied, detail, ToolChanged), DecisionData(decisionId)),
                };
            }
        }

        var context = c.Method is McpMethods.ToolsCall or McpMethods.PromptsGet
            ? state.Context with { Args = McpArguments.ToCedarJson(c.Arguments) }
            : state.Context;
        var request = new DecisionRequest(decisionId, state.Caller, action, resource, context);
        GatewayDecision decision;
        try
        {
            decision = state.Exchange.Snapshot.DecisionPoint.Decide(request);
        }
        catch (Exception e)
        {
            McpLog.DecisionFailed(_logger, e, decisionId);
            var error = new JsonRpcError(JsonRpcErrorCodes.InternalError, "the decision could not be made; nothing was forwarded", DecisionFailed);
            return new McpVerdict
            {
                Message = message, Classification = c, DecisionId = decisionId, Allowed = false, Code = DecisionFailed,
                Action = action, Resource = resource.Entity, Errors = [$"decision failed: {e.GetType().Name}"],
                ErrorResponse = JsonRpcErrors.ToBytes(message.Id, error, DecisionData(decisionId)),
            };
        }

        var policies = decision.Policies.Select(p => p.Id).ToArray();
        var reasons = decision.Policies.Where(p => p.Reason is not null).Select(p => p.Reason!).ToArray();
        return new McpVerdict
        {
            Message = message, Classification = c, DecisionId = decisionId, Allowed = decision.IsAllowed,
            Code = decision.IsAllowed ? "policy.allow" : "policy.deny",
            Action = action, Resource = resource.Entity, Policies = policies, Reasons = reasons, Errors = decision.Errors,
            ErrorResponse = decision.IsAllowed ? null : McpDenial.Response(message.Id, decisionId, policies, reasons),
        };
    }

    /// <summary><c>error.data</c> members naming the decision.</summary>
    public static JsonElement DecisionData(string decisionId) =>
        JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["decisionId"] = decisionId });
}
