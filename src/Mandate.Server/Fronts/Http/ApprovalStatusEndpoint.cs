using System.Text.Json;
using Mandate.Core.Approvals;
using Mandate.Core.Errors;
using Mandate.Server.Flow.Approve;
using Mandate.Server.Flow.Identify;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.Http;

/// <summary>
/// <c>GET /mandate/approvals/{id}</c> on the data plane: the agent that asked reads its approval's status with its own
/// credential (<c>pending</c>, <c>approved</c>, <c>denied</c>, <c>consumed</c>, <c>expired</c>) to know when to retry.
/// Another agent's approval answers 404, like an unknown one, so ids are not confirmed to strangers.
/// </summary>
public sealed class ApprovalStatusEndpoint
{
    private readonly ApprovalDesk _desk;
    private readonly CallerResolver _resolver;

    /// <summary>Creates the endpoint.</summary>
    public ApprovalStatusEndpoint(ApprovalDesk desk, CallerResolver resolver)
    {
        _desk = desk;
        _resolver = resolver;
    }

    /// <summary>Answers the request when it is for this endpoint; false otherwise.</summary>
    public async Task<bool> TryHandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path is null || !path.StartsWith(ApprovalDesk.StatusPath, StringComparison.Ordinal) || !HttpMethods.IsGet(context.Request.Method))
        {
            return false;
        }

        var resolution = await _resolver.ResolveAsync(PresentedCredentials.From(context.Request), context.RequestAborted);
        if (resolution.Caller is not { } caller)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"mandate\"";
            await ProblemResponse.WriteAsync(context, resolution.Code!, resolution.Message!, null);
            return true;
        }

        var id = path[ApprovalDesk.StatusPath.Length..];
        if (_desk.Book.Find(id, _desk.Time.GetUtcNow()) is not { } approval || approval.Agent != caller.Identity.AgentId)
        {
            await ProblemResponse.WriteAsync(context, ErrorCatalogue.ApprovalNotFound, "no approval of this agent has this id", null);
            return true;
        }

        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = approval.Id,
            ["status"] = approval.Status.Name(),
            ["expires_at"] = approval.ExpiresAt,
            ["decided_at"] = approval.DecidedAt,
        }));
        return true;
    }
}
