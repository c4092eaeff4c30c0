using System.Text.Json;
using Mandate.Core.Decisions;
using Mandate.Core.OAuth;
using Mandate.Core.Tokens;
using Mandate.Server.Configuration;
using Mandate.Server.Identify;
using Mandate.Server.Snapshots;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Tokens;

/// <summary>
/// <c>POST /oauth2/token</c>: RFC 8693 token exchange. A visible list of checks, in order:
/// form → parameters → DPoP proof (when sent, or required) → actor (actor_token through the agent authenticator,
/// or the mTLS certificate) → subject (a user token of a trusted subject issuer, audience checked and ID tokens
/// refused; or a parent task token, verified hop by hop) → target audiences → plan (narrowing, depth, cycles,
/// lifetime) → Cedar decision (<see cref="ExchangeDecision"/>) → audit record (durable before issuing) → issue.
/// Every refusal after the form is read is recorded as a deny with its code.
/// </summary>
public sealed class TokenEndpoint
{
    private readonly TokenServices _tokens;
    private readonly ICallerAuthenticator _agents;
    private readonly IDecisionRecorder _recorder;
    private readonly SnapshotHolder _snapshots;
    private readonly ILogger _logger;

    /// <summary>Creates the endpoint.</summary>
    public TokenEndpoint(TokenServices tokens, ICallerAuthenticator agents, IDecisionRecorder recorder, SnapshotHolder snapshots, ILogger logger)
    {
        _tokens = tokens;
        _agents = agents;
        _recorder = recorder;
        _snapshots = snapshots;
        _logger = logger;
    }

    /// <summary>Handles one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var snapshot = _snapshots.Current;
        var decisionId = DecisionIds.New();
        context.Response.Headers["X-Mandate-Decision-Id"] = decisionId;
        var facts = new RequestFacts("POST", TokenPaths.Token, ClientIp(context), context.Request.Host.Value ?? "");
        var now = _tokens.Time.GetUtcNow();

        var (form, formError) = await OAuthForm.ReadAsync(context);
        if (formError is not null)
        {
            await OAuthResponse.ErrorAsync(context, formError);
            return;
        }
        var parsed = TokenExchangeRequestParser.Parse(form!);
        if (!parsed.Ok)
        {
            await RefuseAsync(context, decisionId, snapshot, facts, null, "exchange." + parsed.Error.Error, parsed.Error);
            return;
        }
        var request = parsed.Request;

        // DPoP: a proof binds the new token to the proof's key (RFC 9449 §5).
        string? jkt = null;
        var proofs = context.Request.Headers["DPoP"];
        if (proofs.Count > 1)
        {
            await RefuseAsync(context, decisionId, snapshot, facts, null, "dpop.invalid_proof", new OAuthError(OAuthErrorCodes.InvalidDpopProof, "exactly one DPoP proof is allowed"));
            return;
        }
        if (proofs.Count == 1)
        {
            var proof = _tokens.Dpop.Validate(proofs[0], "POST", TaskTokenGate.RequestUrl(context), null);
            if (!proof.Ok)
            {
                await RefuseAsync(context, decisionId, snapshot, facts, null, "dpop.invalid_proof", proof.Error);
                return;
            }
            jkt = proof.Thumbprint;
        }
        else if (_tokens.Config.Dpop == DpopMode.Required)
        {
            await RefuseAsync(context, decisionId, snapshot, facts, null, "dpop.required", new OAuthError(OAuthErrorCodes.InvalidDpopProof, "this issuer binds every task token: send a DPoP proof"));
            return;
        }

        // The actor: its own workload credential, never a task token.
        IdentifyResult actorResult;
        if (request.ActorToken is { } actorToken)
        {
            if (UnverifiedClaims.Issuer(actorToken) == _tokens.Config.Issuer)
            {
                await RefuseAsync(context, decisionId, snapshot, facts, null, "exchange.actor_is_task_token",
                    new OAuthError(OAuthErrorCodes.InvalidRequest, "the actor token must be the agent's workload credential, not a task token"));
                return;
            }
            actorResult = await _agents.AuthenticateBearerAsync(actorToken, context.RequestAborted);
        }
        else if (context.Connection.ClientCertificate is { } certificate)
        {
            actorResult = _agents.AuthenticateCertificate(certificate, null);
        }
        else
        {
            await RefuseAsync(context, decisionId, snapshot, facts, null, "exchange.actor_missing",
                new OAuthError(OAuthErrorCodes.InvalidClient, "the actor is not authenticated: send `actor_token` or a client certificate"));
            return;
        }
        if (actorResult.Caller is not { } actor)
        {
            // RFC 8693 §2.2.2: an invalid actor or subject token is `invalid_request`.
            await RefuseAsync(context, decisionId, snapshot, facts, null, "exchange.actor_invalid",
                new OAuthError(OAuthErrorCodes.InvalidRequest, $"the actor token is not valid: {actorResult.ErrorMessage}"));
            return;
        }

        var (subject, subjectError, subjectCode) = await SubjectAsync(request, context.RequestAborted);
        if (subject is null)
        {
            await RefuseAsync(context, decisionId, snapshot, facts, actor, subjectCode!, subjectError!);
            return;
        }

        // A DPoP-bound parent is only exchanged by the holder of its key: the request's proof must come from that
        // key (RFC 9449 §4.3 applied to the subject token), so a stolen bound token cannot beget children.
        if (subject.Parent is { Jkt: { } parentJkt } && !string.Equals(jkt, parentJkt, StringComparison.Ordinal))
        {
            await RefuseAsync(context, decisionId, snapshot, facts, actor, "exchange.parent_dpop",
                new OAuthError(OAuthErrorCodes.InvalidGrant, "the subject token is DPoP-bound: the exchange needs a DPoP proof made with its key"));
            return;
        }

        var audiences = request.Audiences.Concat(request.Resources).Distinct(StringComparer.Ordinal).ToArray();
        if (audiences.FirstOrDefault(a => !_tokens.Config.Audiences.Contains(a, StringComparer.Ordinal)) is { } unknown)
        {
            await RefuseAsync(context, decisionId, snapshot, facts, actor, "exchange.invalid_target",
                new OAuthError(OAuthErrorCodes.InvalidTarget, $"`{Short(unknown)}` is not an audience this issuer serves"));
            return;
        }

        var task = request.AuthorizationDetails;
        var requested = new TaskGrant(
            request.Scopes,
            audiences,
            string.Join("; ", task.Select(t => t.Intent).Where(i => i.Length > 0)),
            task.SelectMany(t => t.Actions.Concat(t.Tools)).Distinct(StringComparer.Ordinal).ToArray(),
            task.SelectMany(t => t.Resources).Distinct(StringComparer.Ordinal).ToArray());
        var input = new ExchangeInput
        {
            Actor = new ExchangeActor(actor.AgentId, actor.Method, actor.Issuer),
            SubjectKind = subject.Kind,
            UserId = subject.UserId,
            Parent = subject.Parent,
            Requested = requested,
            // A root exchange for a user never grants more scopes than the user's own token holds.
            Ceiling = subject.Kind == ExchangeSubjectKind.User && subject.UserScopes.Count > 0
                ? new TaskGrant(subject.UserScopes, audiences.Length > 0 ? audiences : _tokens.Config.Audiences, "", [], [])
                : null,
            RequestedLifetime = request.RequestedLifetime,
            DpopJkt = jkt,
            ClientId = actor.AgentId,
        };
        var plan = _tokens.Service.Plan(input, now);
        if (!plan.Ok)
        {
            await RefuseAsync(context, decisionId, snapshot, facts, actor, plan.Error!.Code, new OAuthError(plan.Error.OAuthError, plan.Error.Description));
            return;
        }

        var decisionRequest = ExchangeDecision.Build(decisionId, snapshot, actor, plan.Plan!, subject.Parent, facts, now);
        GatewayDecision decision;
        try
        {
            decision = snapshot.DecisionPoint.Decide(decisionRequest);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "exchange decision {DecisionId} failed", decisionId);
            await RefuseAsync(context, decisionId, snapshot, facts, actor, "decision.failed",
                new OAuthError(OAuthErrorCodes.ServerError, "the decision could not be made; no token was issued"), decisionRequest);
            return;
        }
        var policyIds = decision.Policies.Select(p => p.Id).ToArray();
        if (!decision.IsAllowed)
        {
            var reasons = decision.Policies.Where(p => p.Reason is not null).Select(p => p.Reason!).ToArray();
            var why = reasons.Length > 0 ? string.Join("; ", reasons) : policyIds.Length > 0 ? $"denied by {string.Join(", ", policyIds)}" : "no policy permits this exchange";
            var error = plan.Plan!.IsDelegation
                ? new OAuthError(OAuthErrorCodes.InvalidGrant, $"policy does not allow `{actor.AgentId}` to act under this token: {why}")
                : new OAuthError(OAuthErrorCodes.UnauthorizedClient, $"policy does not allow `{actor.AgentId}` this exchange: {why}");
            await RecordAsync(decisionId, snapshot, facts, actor, DecisionOutcome.Deny, "policy.deny", decisionRequest, policyIds, decision.Errors);
            await OAuthResponse.ErrorAsync(context, error, decisionId: decisionId);
            return;
        }

        // The audit record and the token record are made durable together (two files, two group commits), and
        // the token leaves only when both are. INVARIANT: no token is answered before its decision is durable;
        // a token whose decision could not be recorded is revoked and never shown.
        var recording = RecordAsync(decisionId, snapshot, facts, actor, DecisionOutcome.Allow, "policy.allow", decisionRequest, policyIds, decision.Errors);
        var issuing = IssueAsync(plan.Plan!, decisionId, context.RequestAborted);
        var recorded = await recording;
        var issued = await issuing;
        if (!recorded.IsDurable)
        {
            if (issued is not null)
            {
                await _tokens.Service.RevokeAsync(RevocationTarget.Token(issued.Jti), "its exchange decision could not be recorded", CancellationToken.None);
            }
            await OAuthResponse.ErrorAsync(context, new OAuthError(OAuthErrorCodes.ServerError, "the audit log could not record this exchange; no token was issued"), 503, decisionId);
            return;
        }
        if (issued is null)
        {
            await OAuthResponse.ErrorAsync(context, new OAuthError(OAuthErrorCodes.ServerError, "the token could not be stored; no token was issued"), 503, decisionId);
            return;
        }

        var expiresIn = Math.Max(0, (long)Math.Floor((issued.ExpiresAt - _tokens.Time.GetUtcNow()).TotalSeconds));
        await OAuthResponse.JsonAsync(context, 200, w =>
        {
            w.WriteString("access_token", issued.AccessToken);
            w.WriteString("issued_token_type", IssuedTaskToken.IssuedTokenType);
            w.WriteString("token_type", issued.TokenType);
            w.WriteNumber("expires_in", expiresIn);
            w.WriteString("scope", issued.Grant.ScopeString);
            w.WriteString("session_id", issued.SessionId);
        });
    }

    private async Task<IssuedTaskToken?> IssueAsync(ExchangePlan plan, string decisionId, CancellationToken cancellationToken)
    {
        try
        {
            return await _tokens.Service.IssueAsync(plan, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "issuing for {DecisionId} failed", decisionId);
            return null;
        }
    }

    private async Task<(SubjectToken? Subject, OAuthError? Error, string? Code)> SubjectAsync(TokenExchangeRequest request, CancellationToken cancellationToken)
    {
        if (request.SubjectToken is not { } token)
        {
            return (SubjectToken.None, null, null);
        }
        if (UnverifiedClaims.Issuer(token) == _tokens.Config.Issuer)
        {
            var check = _tokens.Service.Verify(token, _tokens.Time.GetUtcNow());
            if (!check.Ok)
            {
                return (null, new OAuthError(OAuthErrorCodes.InvalidGrant, $"the parent task token is not valid: {check.Error!.Description}"), "exchange.parent_invalid");
            }
            return (new SubjectToken(ExchangeSubjectKind.ParentTaskToken, check.Principal!.UserId, [], check.Principal), null, null);
        }
        if (_tokens.Subjects is null)
        {
            return (null, new OAuthError(OAuthErrorCodes.InvalidRequest, "no user token issuer is trusted here (tokens.subjectIssuers)"), "exchange.subject_invalid");
        }
        var result = await _tokens.Subjects.AuthenticateBearerAsync(token, cancellationToken);
        if (!result.IsSuccess)
        {
            return (null, new OAuthError(OAuthErrorCodes.InvalidRequest, $"the subject token is not valid: {result.Error.Message}"), "exchange.subject_" + result.Error.Code);
        }
        var claims = result.Identity.Claims;
        // An ID token says who logged in to a client; it is not authority for anyone to act.
        foreach (var marker in (string[])["nonce", "at_hash", "c_hash"])
        {
            if (claims.TryGetProperty(marker, out _))
            {
                return (null, new OAuthError(OAuthErrorCodes.InvalidRequest, "the subject token is an id token; present the user's access token"), "exchange.subject_id_token");
            }
        }
        return (new SubjectToken(ExchangeSubjectKind.User, result.Identity.Subject, result.Identity.Scopes, null), null, null);
    }

    private async Task RefuseAsync(HttpContext context, string decisionId, GatewaySnapshot snapshot, RequestFacts facts, CallerIdentity? actor, string code, OAuthError error, DecisionRequest? request = null)
    {
        await RecordAsync(decisionId, snapshot, facts, actor, DecisionOutcome.Deny, code, request, [], [error.Description]);
        await OAuthResponse.ErrorAsync(context, error, decisionId: decisionId);
    }

    private async Task<RecordResult> RecordAsync(string decisionId, GatewaySnapshot snapshot, RequestFacts facts, CallerIdentity? actor, DecisionOutcome outcome, string code,
        DecisionRequest? request, IReadOnlyList<string> policies, IReadOnlyList<string> errors)
    {
        var record = new DecisionRecord(decisionId, _tokens.Time.GetUtcNow(), outcome, code, actor, request?.Action, request?.Resource.Entity, facts, policies, errors, snapshot.Version, null);
        try
        {
            var result = await _recorder.RecordDecisionAsync(record, CancellationToken.None);
            if (!result.IsDurable)
            {
                _logger.LogError("audit record {DecisionId} failed: {Error}", decisionId, result.Error);
            }
            return result;
        }
        catch (Exception e)
        {
            _logger.LogError(e, "audit record {DecisionId} failed", decisionId);
            return RecordResult.Failed(e.Message);
        }
    }

    /// <summary>The TCP peer (IPv4-mapped addresses unmapped).</summary>
    public static string ClientIp(HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress ?? System.Net.IPAddress.Loopback;
        return (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString();
    }

    private static string Short(string s) => s.Length <= 60 ? s : s[..60] + "...";
}
