using Mandate.Core.Audit;
using Mandate.Core.Decisions;
using Mandate.Server.Flow.Identify;
using Mandate.Server.Snapshots;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Planes;

/// <summary><c>/healthz</c> (the process answers) and <c>/readyz</c> (config and policies loaded, audit writable, issuers ready, and the audit durability class in force), on both planes.</summary>
public sealed class Readiness
{
    private readonly SnapshotHolder _snapshots;
    private readonly IDecisionRecorder _recorder;
    private readonly ICallerAuthenticator _authenticator;

    /// <summary>Creates the checks.</summary>
    public Readiness(SnapshotHolder snapshots, IDecisionRecorder recorder, ICallerAuthenticator authenticator)
    {
        _snapshots = snapshots;
        _recorder = recorder;
        _authenticator = authenticator;
    }

    /// <summary>Answers a health request if <paramref name="context"/> is one; returns false otherwise.</summary>
    public async Task<bool> TryAnswerAsync(HttpContext context)
    {
        var target = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            return false;
        }

        if (target == "/healthz")
        {
            await WriteAsync(context, 200, "{\"status\":\"live\"}");
            return true;
        }

        if (target != "/readyz")
        {
            return false;
        }

        var snapshot = _snapshots.Current;
        bool audit;
        try
        {
            audit = await _recorder.IsWritableAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            audit = false;
        }

        var identity = _authenticator.IsReady;
        var ready = audit && identity;
        var body = System.Text.Json.JsonSerializer.Serialize(new
        {
            status = ready ? "ready" : "not_ready",
            version = snapshot.Version,
            // When a decision record counts as durable (the audit log's class; see docs/observability.md).
            checks = new { config = true, policies = snapshot.DecisionPoint.PolicyIds.Count > 0, audit, identity },
            durability = Durability(snapshot.Config),
        });
        await WriteAsync(context, ready ? 200 : 503, body);
        return true;
    }

    // The audit durability class in force: the default, and how many routes and tools raise it to power-loss.
    private static object Durability(Configuration.MandateConfig config)
    {
        var tools = 0;
        foreach (var server in config.Mcp.Servers.Values)
        {
            tools += server.Tools.Values.Count(t => t.Durability == AuditDurability.PowerLoss);
        }
        return new
        {
            @default = config.Audit.Durability.Name(),
            power_loss_routes = config.Routes.Count(r => r.Durability == AuditDurability.PowerLoss),
            power_loss_tools = tools,
        };
    }

    private static async Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(json);
    }
}
