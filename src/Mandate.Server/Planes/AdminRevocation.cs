using System.Text.Json;
using Mandate.Core.Tokens;
using Mandate.Server.TaskTokens;
using Mandate.Core.Errors;
using Mandate.Server.Fronts.Http;
using Microsoft.AspNetCore.Http;
using Mandate.Server.Telemetry;

namespace Mandate.Server.Planes;

/// <summary>
/// Control-plane token administration (behind the admin token): <c>POST /v1/revoke</c> with exactly one of
/// <c>{"token"}</c> (a task token or its <c>jti</c>), <c>{"session"}</c>, <c>{"agent"}</c>, <c>{"user"}</c>, and an
/// optional <c>"reason"</c>; <c>POST /v1/introspect</c> with <c>{"token"}</c> (RFC 7662 answer for any token).
/// The in-memory revocation set is updated before the answer, so the next request on this node is refused.
/// </summary>
public static class AdminRevocation
{
    private const int MaxBody = 32 * 1024;

    /// <summary>Answers <c>POST /v1/revoke</c>.</summary>
    public static async Task RevokeAsync(HttpContext context, TokenServices tokens)
    {
        if (await ReadAsync(context) is not { } body)
        {
            return;
        }
        using (body)
        {
            var root = body.RootElement;
            var kinds = new[] { "token", "session", "agent", "user" }.Where(k => root.TryGetProperty(k, out _)).ToArray();
            if (kinds.Length != 1 || root.GetProperty(kinds[0]).ValueKind != JsonValueKind.String || root.GetProperty(kinds[0]).GetString() is not { Length: > 0 } id)
            {
                await ProblemResponse.WriteAsync(context, ErrorCatalogue.AdminBadRequest, "give exactly one of token, session, agent, user (a non-empty string)", null);
                return;
            }
            var reason = root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "revoked by an administrator";
            RevocationTarget target;
            switch (kinds[0])
            {
                case "token":
                    // A whole token names its jti; a bare id is taken as the jti.
                    if (id.Contains('.'))
                    {
                        var check = tokens.Service.Verify(id, tokens.Time.GetUtcNow());
                        if (check.Principal is null)
                        {
                            await ProblemResponse.WriteAsync(context, ErrorCatalogue.AdminTokenUnknown, $"the token is not a valid task token: {check.Error?.Description}", null);
                            return;
                        }
                        id = check.Principal.Jti;
                    }
                    target = RevocationTarget.Token(id);
                    break;
                case "session":
                    target = RevocationTarget.Session(id);
                    break;
                case "agent":
                    target = RevocationTarget.Agent(id);
                    break;
                default:
                    target = RevocationTarget.User(id);
                    break;
            }
            var revoked = await tokens.Service.RevokeAsync(target, reason, context.RequestAborted);
            GatewayMetrics.Count(GatewayMetrics.Revocations, "mandate.revocation.way", "admin", "mandate.revocation.target", kinds[0]);
            await Results.Json(new { revoked = kinds[0], id, tokens = revoked }).ExecuteAsync(context);
        }
    }

    /// <summary>Answers <c>POST /v1/introspect</c>.</summary>
    public static async Task IntrospectAsync(HttpContext context, TokenServices tokens)
    {
        if (await ReadAsync(context) is not { } body)
        {
            return;
        }
        using (body)
        {
            if (!body.RootElement.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String)
            {
                await ProblemResponse.WriteAsync(context, ErrorCatalogue.AdminBadRequest, "give {\"token\": \"...\"}", null);
                return;
            }
            context.Response.ContentType = "application/json";
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsync(tokens.Service.Introspect(token.GetString()!, tokens.Time.GetUtcNow()));
        }
    }

    private static async Task<JsonDocument?> ReadAsync(HttpContext context)
    {
        if (context.Request.ContentLength is > MaxBody)
        {
            await ProblemResponse.WriteAsync(context, ErrorCatalogue.AdminTooLarge, "the body is too large", null);
            return null;
        }
        try
        {
            var document = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 4 }, context.RequestAborted);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }
            document.Dispose();
        }
        catch (JsonException)
        {
        }
        await ProblemResponse.WriteAsync(context, ErrorCatalogue.AdminBadRequest, "the body must be one json object", null);
        return null;
    }
}
