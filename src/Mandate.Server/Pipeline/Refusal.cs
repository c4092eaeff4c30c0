using Mandate.Core.Decisions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Pipeline;

/// <summary>
/// Ends a request that is refused before (or instead of) forwarding: records a deny with the
/// refusal's code (best effort: the answer is a refusal either way) and writes the problem.
/// </summary>
public sealed class Refusal
{
    private readonly IDecisionRecorder _recorder;
    private readonly TimeProvider _time;
    private readonly ILogger<Refusal> _logger;

    /// <summary>Creates the refusal writer.</summary>
    public Refusal(IDecisionRecorder recorder, TimeProvider time, ILogger<Refusal> logger)
    {
        _recorder = recorder;
        _time = time;
        _logger = logger;
    }

    /// <summary>Records and answers a refusal.</summary>
    public async Task RefuseAsync(HttpContext context, GatewayExchange exchange, int status, string code, string title, string detail)
    {
        await RecordAsync(context, exchange, code, [], [detail]);
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = code == "identity.missing"
                ? "Bearer realm=\"mandate\""
                : $"Bearer realm=\"mandate\", error=\"invalid_token\", error_description=\"{Quote(detail)}\"";
        }

        await ProblemResponse.WriteAsync(context, status, code, title, detail, exchange.DecisionId);
    }

    /// <summary>Records a deny for this request, once; returns whether it is durable.</summary>
    public async Task<RecordResult> RecordAsync(HttpContext context, GatewayExchange exchange, string code, IReadOnlyList<string> policies, IReadOnlyList<string> errors)
    {
        if (exchange.Recorded)
        {
            return RecordResult.Durable("already recorded");
        }

        exchange.Recorded = true;
        var record = new DecisionRecord(
            exchange.DecisionId,
            _time.GetUtcNow(),
            DecisionOutcome.Deny,
            code,
            exchange.Caller,
            exchange.Match?.Route.Action,
            exchange.Match?.Resource.Entity,
            Facts(context, exchange),
            policies,
            errors,
            exchange.Snapshot.Version,
            exchange.Match?.Route.Upstream);
        try
        {
            var result = await _recorder.RecordDecisionAsync(record, CancellationToken.None);
            if (!result.IsDurable)
            {
                GatewayLog.AuditFailed(_logger, exchange.DecisionId, result.Error ?? "unknown");
            }

            return result;
        }
        catch (Exception e)
        {
            GatewayLog.AuditFailed(_logger, exchange.DecisionId, e.Message);
            return RecordResult.Failed(e.Message);
        }
    }

    /// <summary>Request facts for the record: the canonical path when known, else the raw target.</summary>
    public static RequestFacts Facts(HttpContext context, GatewayExchange exchange) =>
        exchange.Context?.Request ?? new RequestFacts(
            context.Request.Method,
            exchange.Path?.Value ?? exchange.RawTarget,
            exchange.ClientIp,
            context.Request.Host.Value ?? "");

    // A quoted-string in a header: no quotes, backslashes or control characters (RFC 9110 §5.6.4).
    private static string Quote(string s) =>
        new(s.Select(c => c is '"' ? '\'' : c is '\\' ? '/' : c < 0x20 || c >= 0x7F ? ' ' : c).ToArray());
}
