using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mandate.Core.Approvals;
using Mandate.Core.Errors;
using Mandate.Server.Configuration;
using Mandate.Server.Flow.Approve;
using Mandate.Server.Fronts.Http;
using Mandate.Server.Snapshots;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Planes;

/// <summary>
/// The control plane's approvals: <c>GET /v1/approvals[?status=pending]</c> and <c>GET /v1/approvals/{id}</c> (the exact
/// call with its arguments and the reasons) for administrators and approvers; <c>POST /v1/approvals/{id}/approve</c>
/// and <c>/deny</c> with an optional <c>{"comment"}</c> for approvers only, each with their own token
/// (<c>approvals.approvers</c>). Nobody approves a request of their own agent or one acting for them.
/// </summary>
public sealed class ApprovalsAdminApi
{
    /// <summary>The path prefix.</summary>
    public const string Prefix = "/v1/approvals";

    private readonly ApprovalDesk _desk;
    private readonly SnapshotHolder _snapshots;

    /// <summary>Creates the endpoints.</summary>
    public ApprovalsAdminApi(ApprovalDesk desk, SnapshotHolder snapshots)
    {
        _desk = desk;
        _snapshots = snapshots;
    }

    /// <summary>The approver a bearer token belongs to, or null (tokens compared as SHA-256 digests in constant time).</summary>
    public string? Approver(HttpContext context)
    {
        var values = context.Request.Headers.Authorization;
        if (values.Count != 1 || values[0] is not { } header || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..]));
        string? found = null;
        foreach (var approver in _snapshots.Current.Config.Approvals.Approvers)
        {
            // Every approver is compared, so the time taken does not tell which one matched.
            if (CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(approver.Token))))
            {
                found = approver.Id;
            }
        }

        return found;
    }

    /// <summary>Answers a request under <see cref="Prefix"/>; <paramref name="approver"/> is null for an administrator.</summary>
    public async Task HandleAsync(HttpContext context, string path, string? approver)
    {
        var now = _desk.Time.GetUtcNow();
        var rest = path[Prefix.Length..].Trim('/');
        if (rest.Length == 0 && HttpMethods.IsGet(context.Request.Method))
        {
            var statusText = context.Request.Query["status"].ToString();
            ApprovalStatus? status = null;
            if (statusText.Length > 0)
            {
                var named = Enum.GetValues<ApprovalStatus>().Where(v => v.Name() == statusText).ToArray();
                if (named.Length != 1)
                {
                    await ProblemResponse.WriteAsync(context, ErrorCatalogue.AdminBadRequest, "status is one of pending, approved, denied, consumed, expired", null);
                    return;
                }

                status = named[0];
            }

            await WriteAsync(context, 200, _desk.Book.List(status, now).Select(View).ToArray());
            return;
        }

        var parts = rest.Split('/');
        if (parts.Length == 1 && HttpMethods.IsGet(context.Request.Method))
        {
            if (_desk.Book.Find(parts[0], now) is not { } found)
            {
                await ProblemResponse.WriteAsync(context, ErrorCatalogue.ApprovalNotFound, "no approval has this id", null);
                return;
            }

            await WriteAsync(context, 200, View(found));
            return;
        }

        if (parts.Length == 2 && parts[1] is "approve" or "deny" && HttpMethods.IsPost(context.Request.Method))
        {
            if (approver is null)
            {
                await ProblemResponse.WriteAsync(context, ErrorCatalogue.ApprovalNotApprover, "approving and denying need an approver's token (approvals.approvers)", null);
                return;
            }

            var comment = await CommentAsync(context);
            var (decided, refusal) = await _desk.DecideAsync(parts[0], approver, parts[1] == "approve", comment, _snapshots.Current.Config.Approvals);
            if (refusal is { } code)
            {
                await ProblemResponse.WriteAsync(context, code, code == ErrorCatalogue.ApprovalSelf
                    ? "an approver cannot decide a request of their own agent or one acting for them"
                    : $"approval `{parts[0]}` cannot be decided now", null);
                return;
            }

            await WriteAsync(context, 200, View(decided!));
            return;
        }

        await ProblemResponse.WriteAsync(context, ErrorCatalogue.AdminNotFound, "no such admin endpoint", null);
    }

    private static async Task<string?> CommentAsync(HttpContext context)
    {
        if (context.Request.ContentLength is null or 0)
        {
            return null;
        }

        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 4 }, context.RequestAborted);
            return body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("comment", out var c) && c.ValueKind == JsonValueKind.String
                ? c.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Dictionary<string, object?> View(ApprovalRequest r) => new()
    {
        ["id"] = r.Id,
        ["status"] = r.Status.Name(),
        ["created_at"] = r.CreatedAt,
        ["expires_at"] = r.ExpiresAt,
        ["decision_id"] = r.DecisionId,
        ["agent"] = r.Agent,
        ["user"] = r.User,
        ["session"] = r.Session,
        ["chain"] = r.Chain,
        ["front"] = r.Front,
        ["action"] = r.Action,
        ["resource"] = r.Resource,
        ["target"] = r.Target,
        ["arguments"] = JsonDocument.Parse(r.Arguments).RootElement.Clone(),
        ["policies"] = r.Policies,
        ["reasons"] = r.Reasons,
        ["policy_version"] = r.PolicyVersion,
        ["decided_by"] = r.DecidedBy,
        ["decided_at"] = r.DecidedAt,
        ["comment"] = r.Comment,
        ["consumed_at"] = r.ConsumedAt,
    };

    private static async Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
