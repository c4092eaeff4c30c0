using System.Text.Json;
using Mandate.Core.Decisions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Pipeline;

/// <summary>
/// Record: the decision record is made durable before anything is forwarded. If it cannot be, an
/// allow becomes 503 and nothing is forwarded. A deny is answered here with 403 and its reasons.
/// </summary>
public sealed class RecordMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IDecisionRecorder _recorder;
    private readonly Refusal _refusal;
    private readonly TimeProvider _time;
    private readonly ILogger<RecordMiddleware> _logger;

    /// <summary>Creates the step.</summary>
    public RecordMiddleware(RequestDelegate next, IDecisionRecorder recorder, Refusal refusal, TimeProvider time, ILogger<RecordMiddleware> logger)
    {
        _next = next;
        _recorder = recorder;
        _refusal = refusal;
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs the step.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var exchange = context.Features.GetRequiredFeature<GatewayExchange>();
        var decision = exchange.Decision!;
        var policyIds = decision.Policies.Select(p => p.Id).ToArray();
        if (!decision.IsAllowed)
        {
            await _refusal.RecordAsync(context, exchange, "policy.deny", policyIds, decision.Errors);
            var reasons = decision.Policies.Where(p => p.Reason is not null).Select(p => p.Reason!).ToArray();
            var detail = policyIds.Length == 0
                ? "no policy permits this request"
                : reasons.Length > 0 ? string.Join("; ", reasons) : $"denied by {string.Join(", ", policyIds)}";
            await ProblemResponse.WriteAsync(context, StatusCodes.Status403Forbidden, "policy.deny", "forbidden", detail, exchange.DecisionId, w =>
            {
                WriteArray(w, "policies", policyIds);
                WriteArray(w, "reasons", reasons);
            });
            return;
        }

        var record = new DecisionRecord(
            exchange.DecisionId,
            _time.GetUtcNow(),
            DecisionOutcome.Allow,
            "policy.allow",
            exchange.Caller,
            exchange.Match!.Route.Action,
            exchange.Match.Resource.Entity,
            exchange.Context!.Request,
            policyIds,
            decision.Errors,
            exchange.Snapshot.Version,
            exchange.Match.Route.Upstream);
        RecordResult result;
        try
        {
            result = await _recorder.RecordDecisionAsync(record, CancellationToken.None);
        }
        catch (Exception e)
        {
            result = RecordResult.Failed(e.Message);
        }

        exchange.Recorded = true;
        if (!result.IsDurable)
        {
            GatewayLog.AuditFailed(_logger, exchange.DecisionId, result.Error ?? "unknown");
            await ProblemResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "audit.unavailable", "service unavailable", "the audit log could not record this decision; nothing was forwarded", exchange.DecisionId);
            return;
        }

        await _next(context);
    }

    private static void WriteArray(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}
