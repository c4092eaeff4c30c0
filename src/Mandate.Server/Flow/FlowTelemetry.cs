using System.Diagnostics;
using Mandate.Server.Flow.Identify;
using Mandate.Server.Telemetry;

namespace Mandate.Server.Flow;

/// <summary>
/// The flow's spans and measurements, written once for every front: what a decided or recorded call adds to its step
/// span, to the request's root span, and to the gateway's instruments. Only identities, names, codes and policy ids
/// go into attributes (see <see cref="SpanAttributes"/>): never a token, a secret or an argument value.
/// </summary>
public static class FlowTelemetry
{
    /// <summary>True when some listener wants the flow's spans or timings; otherwise a step runs exactly as without telemetry.</summary>
    public static bool Observed => MandateTelemetry.Source.HasListeners() || GatewayMetrics.DecisionDuration.Enabled || GatewayMetrics.Decisions.Enabled;

    /// <summary>How a verdict is named in attributes and tags.</summary>
    public static string Name(VerdictKind kind) => kind switch
    {
        VerdictKind.Allow => "allow",
        VerdictKind.StepUp => "step_up",
        _ => "deny",
    };

    /// <summary>The caller on a span: agent, user, task, how it proved itself (identities, never credentials).</summary>
    public static void TagCaller(Activity? span, ResolvedCaller? caller)
    {
        if (span is not { IsAllDataRequested: true } || caller is not { } c)
        {
            return;
        }

        span.SetTag(SpanAttributes.Agent, c.Identity.AgentId);
        span.SetTag(SpanAttributes.AuthMethod, c.Identity.Method);
        if (c.Identity.User is { } user)
        {
            span.SetTag(SpanAttributes.User, user);
        }

        if (c.Task?.SessionId is { } task)
        {
            span.SetTag(SpanAttributes.Task, task);
        }
    }

    /// <summary>The verdict on a span: kind, code, determining policies, and an error status when the gateway failed (5xx).</summary>
    public static void TagVerdict(Activity? span, Verdict verdict, string decisionId)
    {
        if (span is not { IsAllDataRequested: true })
        {
            return;
        }

        span.SetTag(SpanAttributes.DecisionId, decisionId);
        span.SetTag(SpanAttributes.Verdict, Name(verdict.Kind));
        span.SetTag(SpanAttributes.Code, verdict.Code.Code);
        if (verdict.Policies.Count > 0)
        {
            span.SetTag(SpanAttributes.Policies, verdict.Policies.ToArray());
        }

        if ((verdict.Approval?.Id ?? verdict.ApprovalUsed) is { } approval)
        {
            span.SetTag(SpanAttributes.ApprovalId, approval);
        }

        if (verdict.Code.HttpStatus >= 500)
        {
            MandateTelemetry.Fail(span, verdict.Code.Code);
        }
    }

    /// <summary>A call decided (not yet recorded): the decide span's attributes and <c>mandate.decision.duration</c>.</summary>
    public static void Decided(Activity? span, FlowRequest request, FlowCall call, Verdict verdict, string decisionId, long started)
    {
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(SpanAttributes.Front, request.Front.Name());
            span.SetTag(SpanAttributes.Action, call.Action.ToString());
            span.SetTag(SpanAttributes.ResourceType, call.Resource.Entity.Type);
            TagVerdict(span, verdict, decisionId);
        }

        if (GatewayMetrics.DecisionDuration.Enabled)
        {
            GatewayMetrics.DecisionDuration.Record(GatewayMetrics.Since(started),
                new KeyValuePair<string, object?>(SpanAttributes.Front, request.Front.Name()),
                new KeyValuePair<string, object?>(SpanAttributes.Verdict, Name(verdict.Kind)));
        }
    }

    /// <summary>
    /// A decision record written (durable or not): <c>mandate.decisions</c> (one per record, so the counter and the audit
    /// log agree), the record span, and — for the request's own decision — the root
    /// span's caller and verdict and the front and verdict of <c>mandate.request.duration</c>.
    /// </summary>
    public static void Recorded(Activity? span, FlowRequest request, string decisionId, Verdict verdict, bool durable)
    {
        var front = request.Front.Name();
        var kind = Name(verdict.Kind);
        if (GatewayMetrics.Decisions.Enabled)
        {
            GatewayMetrics.Decisions.Add(1,
                new KeyValuePair<string, object?>(SpanAttributes.Front, front),
                new KeyValuePair<string, object?>(SpanAttributes.Verdict, kind),
                new KeyValuePair<string, object?>(SpanAttributes.Code, verdict.Code.Code));
        }

        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(SpanAttributes.DecisionId, decisionId);
            span.SetTag(SpanAttributes.Durable, durable);
            if (!durable)
            {
                MandateTelemetry.Fail(span, Mandate.Core.Errors.ErrorCatalogue.AuditUnavailable.Code);
            }
        }

        if (request.Telemetry is { } telemetry && decisionId == request.DecisionId)
        {
            telemetry.Front = front;
            telemetry.Verdict = kind;
            if (telemetry.Span is { IsAllDataRequested: true } root)
            {
                root.SetTag(SpanAttributes.Front, front);
                TagCaller(root, request.Caller);
                TagVerdict(root, verdict, decisionId);
            }
        }
    }

    /// <summary>Starts a front's classify step (route table, JSON-RPC classifier, AuthZEN body): null when not traced.</summary>
    public static Activity? StartClassify() => MandateTelemetry.StartStep("mandate.classify");

    /// <summary>
    /// Ends a classify step: what the call is (action, resource type, upstream, the MCP item's name — names from the
    /// configuration or the protocol, never argument values) or the refusal's code; the root span takes the route
    /// template as <c>http.route</c> and its name, and the canonical path.
    /// </summary>
    public static void Classified(Activity? span, FlowRequest request, FlowCall? call, string? route, string? refusal = null)
    {
        if (span is null)
        {
            return;
        }

        if (span.IsAllDataRequested)
        {
            if (call is not null)
            {
                span.SetTag(SpanAttributes.Action, call.Action.ToString());
                span.SetTag(SpanAttributes.ResourceType, call.Resource.Entity.Type);
                span.SetTag(SpanAttributes.Upstream, call.Upstream);
                span.SetTag(SpanAttributes.McpItem, call.ItemName);
            }

            span.SetTag(SpanAttributes.HttpRoute, route);
            span.SetTag(SpanAttributes.Code, refusal);
        }

        span.Dispose();
        if (request.Telemetry?.Span is { IsAllDataRequested: true } root)
        {
            root.SetTag(SpanAttributes.UrlPath, request.Facts.Path);
            if (route is not null)
            {
                root.DisplayName = request.Facts.Method + " " + route;
                root.SetTag(SpanAttributes.HttpRoute, route);
            }
        }
    }

    /// <summary>A refusal before any decision (<c>mandate.refusals</c>).</summary>
    public static void Refused(FlowRequest request, Verdict verdict)
    {
        if (GatewayMetrics.Refusals.Enabled)
        {
            GatewayMetrics.Refusals.Add(1,
                new KeyValuePair<string, object?>(SpanAttributes.Front, request.Front.Name()),
                new KeyValuePair<string, object?>(SpanAttributes.Code, verdict.Code.Code));
        }
    }
}
