using Mandate.Core.Errors;
using Mandate.Server.Flow;
using Mandate.Server.Fronts.Http;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.Checks;

/// <summary>
/// Renders a check's verdict for the proxy that asked. An allow is <c>200</c> with headers for the upstream
/// (Envoy: <c>allowed_upstream_headers</c>; nginx: <c>auth_request_set … $upstream_http_x_mandate_agent</c>):
/// <c>X-Mandate-Agent</c>, <c>X-Mandate-User</c>, <c>X-Mandate-Task</c> (the task session) and
/// <c>X-Mandate-Decision-Id</c>. A deny is the problem+json Mandate's proxy would answer, with <c>X-Mandate-Code</c>;
/// for nginx, which passes only 401 and 403 on (any other status is its own 500), a 4xx other than 401 is sent as 403
/// with the real status in <c>X-Mandate-Status</c>.
/// </summary>
public static class CheckAnswers
{
    /// <summary>Writes the answer to the proxy.</summary>
    public static Task WriteAsync(HttpContext context, FlowRequest request, Verdict verdict)
    {
        var headers = context.Response.Headers;
        headers["X-Mandate-Code"] = verdict.Code.Code;
        if (verdict.IsAllowed)
        {
            var caller = request.Caller!.Value.Identity;
            // Always all three, empty when there is none: a proxy that sets them upstream from this answer then
            // overwrites whatever the client sent under the same names, instead of passing a forged one on.
            headers["X-Mandate-Agent"] = caller.AgentId;
            headers["X-Mandate-User"] = caller.User ?? "";
            headers["X-Mandate-Task"] = caller.SessionId ?? "";

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentLength = 0;
            return Task.CompletedTask;
        }

        AddApproval(headers, verdict);

        if (request.Front == Front.Nginx && verdict.Code.HttpStatus is >= 400 and < 500 and not 401 and not 403)
        {
            headers["X-Mandate-Status"] = verdict.Code.HttpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var forbidden = Verdict.Refuse(new ErrorCode(verdict.Code.Code, StatusCodes.Status403Forbidden, verdict.Code.Title), verdict.Detail);
            return HttpVerdicts.WriteAsync(context, request.DecisionId, forbidden);
        }

        return HttpVerdicts.WriteAsync(context, request.DecisionId, verdict);
    }

    /// <summary>
    /// The approval of a step-up verdict, for the client: its id (what the retry presents in <c>Mandate-Approval</c>)
    /// and the link a person opens. Envoy passes them on with <c>allowed_client_headers</c> (and the problem body,
    /// which has both); nginx, which drops the body, with <c>auth_request_set</c>.
    /// </summary>
    private static void AddApproval(IHeaderDictionary headers, Verdict verdict)
    {
        if (verdict.Approval is { } ticket)
        {
            headers["X-Mandate-Approval"] = ticket.Id;
            headers["X-Mandate-Approval-Link"] = ticket.Link.ToString();
        }
    }
}
