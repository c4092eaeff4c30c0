using Mandate.Core.Errors;
using Mandate.Core.OAuth;
using Mandate.Core.Tokens;
using Mandate.Server.Flow;
using Mandate.Server.Flow.Identify;
using Mandate.Server.Fronts.Http;
using Mandate.Server.Snapshots;
using Mandate.Server.TaskTokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Fronts.OAuth;

/// <summary>
/// The data plane's token fronts, answered before the gateway pipeline (like <c>/healthz</c>):
/// token exchange, introspection, revocation, session end, JWKS and RFC 8414 metadata.
/// </summary>
public sealed class TokenFronts
{
    private readonly TokenServices _tokens;
    private readonly CallerResolver _resolver;
    private readonly TokenEndpoint _exchange;
    private readonly TokenRevocation _revocation;
    private readonly DecisionFlow _flow;
    private readonly SnapshotHolder _snapshots;

    /// <summary>Creates the fronts.</summary>
    public TokenFronts(TokenServices tokens, CallerResolver resolver, DecisionFlow flow, SnapshotHolder snapshots, ILogger logger)
    {
        _tokens = tokens;
        _resolver = resolver;
        _exchange = new TokenEndpoint(tokens, resolver, flow, snapshots, logger);
        _revocation = new TokenRevocation(tokens, resolver, flow, snapshots);
        _flow = flow;
        _snapshots = snapshots;
    }

    /// <summary>Answers the request when its path is a token front; false otherwise.</summary>
    public async Task<bool> TryHandleAsync(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case TokenPaths.Token:
                await _exchange.HandleAsync(context);
                return true;
            case TokenPaths.Introspect:
                await IntrospectAsync(context);
                return true;
            case TokenPaths.Revoke:
                await _revocation.HandleAsync(context);
                return true;
            case TokenPaths.EndSession:
                await EndSessionAsync(context);
                return true;
            case TokenPaths.Jwks when HttpMethods.IsGet(context.Request.Method):
                context.Response.Headers.CacheControl = "public, max-age=300";
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(_tokens.Service.Keys.JwksJson(_tokens.Time.GetUtcNow()));
                return true;
            case TokenPaths.Metadata when HttpMethods.IsGet(context.Request.Method):
                var issuer = _tokens.Config.Issuer.TrimEnd('/');
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(AuthorizationServerMetadata.ToJson(
                    _tokens.Config.Issuer,
                    issuer + TokenPaths.Token,
                    issuer + TokenPaths.Jwks,
                    issuer + TokenPaths.Introspect,
                    issuer + TokenPaths.Revoke,
                    tokenEndpointAuthMethods: ["none", "tls_client_auth"],
                    dpopAlgorithms: DpopProofValidator.Algorithms.Order(StringComparer.Ordinal).ToArray()));
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// RFC 7662 for agents: the caller authenticates with its own credential (agent token, task token or client
    /// certificate) and learns about a token only when it is in that token's chain; anything else reads inactive.
    /// (Administrators introspect any token through the control plane.)
    /// </summary>
    private async Task IntrospectAsync(HttpContext context)
    {
        var request = HttpFlowRequests.Open(context, Front.OAuth, _snapshots.Current, TokenPaths.Introspect, _tokens.Time.GetUtcNow());
        var resolved = await _resolver.ResolveAsync(PresentedCredentials.From(context.Request), context.RequestAborted);
        if (resolved.Caller is not { } caller)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"mandate\"";
            var refused = await _flow.RefuseAsync(request, CallSubject.None, ErrorCatalogue.TokenClientUnauthenticated, "introspection requires the caller's own credential");
            await OAuthResponse.ErrorAsync(context, refused.Code, refused.Detail, request.DecisionId);
            return;
        }

        var (form, error) = await OAuthForm.ReadAsync(context);
        var (token, tokenError) = form is null ? (null, error) : OAuthForm.Single(form, "token");
        if (tokenError is not null)
        {
            request.Caller = caller;
            var refused = await _flow.RefuseAsync(request, CallSubject.None, ErrorCatalogue.ExchangeInvalidRequest, tokenError.Description);
            await OAuthResponse.ErrorAsync(context, refused.Code, refused.Detail, request.DecisionId);
            return;
        }

        var now = _tokens.Time.GetUtcNow();
        var check = _tokens.Service.Verify(token!, now);
        if (check.Principal is not { } principal || !principal.Chain.Contains(caller.Identity.AgentId, StringComparer.Ordinal))
        {
            await OAuthResponse.RawJsonAsync(context, 200, "{\"active\":false}");
            return;
        }
        await OAuthResponse.RawJsonAsync(context, 200, _tokens.Service.Introspect(token!, now));
    }

    /// <summary>Ends the session of the task token the caller presents (and every token of it and derived from it).</summary>
    private async Task EndSessionAsync(HttpContext context)
    {
        var request = HttpFlowRequests.Open(context, Front.OAuth, _snapshots.Current, TokenPaths.EndSession, _tokens.Time.GetUtcNow());
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            var refused = await _flow.RefuseAsync(request, CallSubject.None, ErrorCatalogue.ExchangeInvalidRequest, "use POST");
            await OAuthResponse.ErrorAsync(context, refused.Code, refused.Detail, request.DecisionId);
            return;
        }
        var acceptance = _resolver.TaskTokens?.TryAccept(PresentedCredentials.From(context.Request));
        if (acceptance?.Caller?.Task is not { } principal)
        {
            // No task token (401 token.not_task_token), or one refused by its rule: recorded, with the rule's code.
            context.Response.Headers.WWWAuthenticate = acceptance is null ? "Bearer realm=\"mandate\"" : "Bearer realm=\"mandate\", error=\"invalid_token\"";
            var code = acceptance?.Code ?? ErrorCatalogue.TokenNotTaskToken;
            var refused = await _flow.RefuseAsync(request, CallSubject.None, code, acceptance?.Message ?? "present the task token whose session ends");
            await OAuthResponse.ErrorAsync(context, refused.Code, refused.Detail, request.DecisionId, refused.Code.HttpStatus);
            return;
        }
        var ended = await _tokens.Service.EndSessionAsync(principal.SessionId, context.RequestAborted);
        await OAuthResponse.JsonAsync(context, 200, w =>
        {
            w.WriteString("session_id", principal.SessionId);
            w.WriteNumber("tokens_revoked", ended);
        });
    }
}
