using System.Text.Json;
using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Core.OAuth;
using Mandate.Core.Tokens;
using Mandate.Server.Flow;
using Mandate.Server.Flow.Identify;
using Mandate.Server.Fronts.Http;
using Mandate.Server.Snapshots;
using Mandate.Server.TaskTokens;
using Microsoft.AspNetCore.Http;
using Mandate.Server.Telemetry;

namespace Mandate.Server.Fronts.OAuth;

/// <summary>
/// <c>POST /oauth2/revoke</c> (RFC 7009) as a front of the flow. The client authenticates first (RFC 7009 §2.1) with its
/// own credential — a workload token, a task token (with its DPoP proof when bound) or a client certificate; without
/// one: 401 <c>invalid_client</c>. Then the token must be one the client may revoke: its own, or one derived from a
/// token of its (the client is in the token's delegation chain). Any other token only when the policies permit the
/// client the action <c>token.revoke</c> on the token's agent — the operator's role, as policy (<c>permit (principal in
/// Group::"operators", action == Action::"token.revoke", resource)</c>); otherwise <c>unauthorized_client</c>.
/// A token that is invalid or unknown is answered 200 as the RFC asks (§2.2): nothing to revoke. Every answer is
/// recorded (the revocation before it is carried out); a revocation cascades to every token derived from the revoked
/// one. Administrators also revoke any token through the control plane (<c>POST /v1/revoke</c> with the admin token).
/// </summary>
public sealed class TokenRevocation
{
    private readonly TokenServices _tokens;
    private readonly CallerResolver _resolver;
    private readonly DecisionFlow _flow;
    private readonly SnapshotHolder _snapshots;

    /// <summary>Creates the front.</summary>
    public TokenRevocation(TokenServices tokens, CallerResolver resolver, DecisionFlow flow, SnapshotHolder snapshots)
    {
        _tokens = tokens;
        _resolver = resolver;
        _flow = flow;
        _snapshots = snapshots;
    }

    /// <summary>Handles one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var snapshot = _snapshots.Current;
        var request = HttpFlowRequests.Open(context, Front.OAuth, snapshot, TokenPaths.Revoke, _tokens.Time.GetUtcNow());
        var resolved = await _resolver.ResolveAsync(PresentedCredentials.From(context.Request), context.RequestAborted);
        if (resolved.Caller is not { } caller)
        {
            // RFC 7009 §2.1 and RFC 6749 §5.2: a client that does not authenticate is `invalid_client` (401).
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"mandate\"";
            await RefuseAsync(context, request, CallSubject.None, ErrorCatalogue.TokenClientUnauthenticated,
                "revocation requires the client's own credential (a workload token, a task token or a client certificate)");
            return;
        }

        request.Caller = caller;
        var (form, formError) = await OAuthForm.ReadAsync(context);
        var (token, tokenError) = form is null ? (null, formError) : OAuthForm.Single(form, "token");
        if (tokenError is not null)
        {
            await RefuseAsync(context, request, CallSubject.None, ErrorCatalogue.ExchangeInvalidRequest, tokenError.Description);
            return;
        }

        var hint = form!.FirstOrDefault(p => p.Key == "token_type_hint").Value;
        if (hint is { Length: > 0 } && hint is not ("access_token" or "refresh_token"))
        {
            await RefuseAsync(context, request, CallSubject.None, ErrorCatalogue.TokenUnsupportedType, "only access tokens are revocable here");
            return;
        }

        var ns = snapshot.Config.Policies.Namespace;
        var check = _tokens.Service.Verify(token!, _tokens.Time.GetUtcNow());
        if (check.Principal is not { } principal)
        {
            // RFC 7009 §2.2: an invalid token is not an error the client could act on; there is nothing to revoke.
            await AnswerAsync(context, request, new CallSubject(Action(ns), null, null));
            return;
        }

        var call = new FlowCall(Action(ns), new ResourceDescriptor(new EntityRef(Qualify(ns, "Agent"), principal.AgentId), [], NoAttributes));
        var decision = FlowDecision.Of(Verdict.Allow(ErrorCatalogue.TokenRevocation));
        if (!principal.Chain.Contains(caller.Identity.AgentId, StringComparer.Ordinal))
        {
            // Not the client's own: only an operator, whom the policies permit `token.revoke` on the token's agent.
            var decided = await _flow.DecideAsync(request, call, request.DecisionId);
            if (!decided.Verdict.IsAllowed)
            {
                _flow.Settle(decided);
                await RefuseAsync(context, request, call.Subject, ErrorCatalogue.TokenRevokeNotPermitted,
                    "the client may revoke only its own tokens and the tokens derived from them");
                return;
            }

            decision = new FlowDecision(Verdict.Allow(ErrorCatalogue.TokenRevocation, decided.Verdict.Policies, decided.Verdict.Errors), decided.Charge, decided.Claim);
        }

        // INVARIANT: the revocation's record is durable before the token is revoked.
        if (!await AnswerAsync(context, request, call.Subject, decision))
        {
            return;
        }

        await _tokens.Service.RevokeAsync(RevocationTarget.Token(principal.Jti), $"revoked by {caller.Identity.AgentId} (RFC 7009)", context.RequestAborted);
        GatewayMetrics.Count(GatewayMetrics.Revocations, "mandate.revocation.way", "rfc7009", "mandate.revocation.target", "token");
    }

    private static readonly IReadOnlyDictionary<string, JsonElement> NoAttributes = new Dictionary<string, JsonElement>();

    private async Task<bool> AnswerAsync(HttpContext context, FlowRequest request, CallSubject subject, FlowDecision? decision = null)
    {
        var recorded = await _flow.RecordAsync(request, subject, decision ?? FlowDecision.Of(Verdict.Allow(ErrorCatalogue.TokenRevocation)), request.DecisionId);
        if (!recorded.IsAllowed)
        {
            await OAuthResponse.ErrorAsync(context, recorded.Code, recorded.Detail, request.DecisionId);
            return false;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.Headers.CacheControl = "no-store";
        return true;
    }

    private async Task RefuseAsync(HttpContext context, FlowRequest request, CallSubject subject, ErrorCode code, string detail)
    {
        var refused = await _flow.RefuseAsync(request, subject, code, detail);
        await OAuthResponse.ErrorAsync(context, refused.Code, refused.Detail, request.DecisionId);
    }

    private static EntityRef Action(string ns) => new(Qualify(ns, "Action"), "token.revoke");

    private static string Qualify(string ns, string type) => ns.Length == 0 ? type : $"{ns}::{type}";
}
