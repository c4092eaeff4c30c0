using System.Security.Cryptography;
using System.Text;
using Mandate.Core.Errors;
using Mandate.Server.Fronts.Http;
using Mandate.Server.Snapshots;
using Mandate.Server.TaskTokens;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Planes;

/// <summary>
/// The control plane: health without credentials; everything else requires
/// <c>Authorization: Bearer &lt;admin token&gt;</c> (compared in constant time).
/// <c>GET /v1/policies</c> shows the active version and policy ids; <c>POST /v1/reload</c> rebuilds the snapshot.
/// </summary>
public sealed class AdminApi
{
    private readonly byte[] _tokenHash;
    private readonly SnapshotHolder _snapshots;
    private readonly SnapshotReloader _reloader;
    private readonly Readiness _readiness;
    private readonly TokenServices? _tokens;

    /// <summary>The approvals endpoints (<c>/v1/approvals…</c>), when the host runs step-up approvals.</summary>
    public ApprovalsAdminApi? Approvals { get; init; }

    /// <summary>The shadow policy endpoints (<c>/v1/policies/shadow…</c>).</summary>
    public ShadowAdminApi? Shadow { get; init; }

    /// <summary>The MCP admin endpoints (<c>/v1/mcp/…</c>), when the host serves MCP.</summary>
    public McpAdminApi? Mcp { get; init; }

    /// <summary>Creates the admin API; <paramref name="tokens"/> adds <c>/v1/revoke</c> and <c>/v1/introspect</c>.</summary>
    public AdminApi(string adminToken, SnapshotHolder snapshots, SnapshotReloader reloader, Readiness readiness, TokenServices? tokens = null)
    {
        _tokens = tokens;
        _tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(adminToken));
        _snapshots = snapshots;
        _reloader = reloader;
        _readiness = readiness;
    }

    /// <summary>Handles one control-plane request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        if (await _readiness.TryAnswerAsync(context))
        {
            return;
        }

        var path = context.Request.Path.Value;
        if (Approvals is not null && path is not null && path.StartsWith(ApprovalsAdminApi.Prefix, StringComparison.Ordinal))
        {
            // Approvers have their own tokens; administrators may read approvals too.
            var approver = Approvals.Approver(context);
            if (approver is not null || IsAdmin(context))
            {
                await Approvals.HandleAsync(context, path, approver);
                return;
            }
        }

        if (!IsAdmin(context))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"mandate-admin\"";
            await ProblemResponse.WriteAsync(context, ErrorCatalogue.AdminUnauthenticated, "the admin api requires the admin bearer token", null);
            return;
        }

        if (Shadow is not null && path is not null && path.StartsWith(ShadowAdminApi.Prefix, StringComparison.Ordinal))
        {
            await Shadow.HandleAsync(context, path);
            return;
        }

        if (path == "/v1/policies" && HttpMethods.IsGet(context.Request.Method))
        {
            var s = _snapshots.Current;
            await Results.Json(new { version = s.Version, loadedAt = s.LoadedAt, policies = s.DecisionPoint.PolicyIds, routes = s.Routes.Routes.Count }).ExecuteAsync(context);
            return;
        }

        if (path == "/v1/reload" && HttpMethods.IsPost(context.Request.Method))
        {
            var result = await _reloader.ReloadAsync("admin api", context.RequestAborted);
            var status = result.Problems.Count > 0 ? 422 : 200;
            await Results.Json(new { applied = result.Applied, version = result.Version, problems = result.Problems }, statusCode: status).ExecuteAsync(context);
            return;
        }

        if (Mcp is not null && path is not null && path.StartsWith(McpAdminApi.Prefix, StringComparison.Ordinal))
        {
            await Mcp.HandleAsync(context, path);
            return;
        }

        if (_tokens is not null && path == "/v1/revoke" && HttpMethods.IsPost(context.Request.Method))
        {
            await AdminRevocation.RevokeAsync(context, _tokens);
            return;
        }

        if (_tokens is not null && path == "/v1/introspect" && HttpMethods.IsPost(context.Request.Method))
        {
            await AdminRevocation.IntrospectAsync(context, _tokens);
            return;
        }

        await ProblemResponse.WriteAsync(context, ErrorCatalogue.AdminNotFound, "no such admin endpoint", null);
    }

    private bool IsAdmin(HttpContext context)
    {
        var values = context.Request.Headers.Authorization;
        if (values.Count != 1 || values[0] is not { } header || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hash both sides so the comparison takes the same time whatever the length of the guess.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..]));
        return CryptographicOperations.FixedTimeEquals(presented, _tokenHash);
    }
}
