using Mandate.Core.Errors;
using Mandate.Core.OAuth;
using Mandate.Core.Tokens;
using Mandate.Server.Flow;
using Mandate.Server.Flow.Identify;
using Mandate.Server.Fronts.Http;
using Mandate.Server.Fronts.OAuth.Exchange;
using Mandate.Server.Snapshots;
using Mandate.Server.TaskTokens;
using Mandate.Server.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Fronts.OAuth;

/// <summary>
/// <c>POST /oauth2/token</c>: RFC 8693 token exchange as the OAuth front of the decision flow. The protocol's checks
/// run in order (<see cref="ExchangeChecks"/>); then the flow decides the exchange (<see cref="ExchangeCall"/>) and
/// records it; only once that record is durable is the token issued, and only once it is stored does it leave.
/// Every refusal is recorded as a deny with its code and answered as an OAuth error (RFC 6749 §5.2).
/// </summary>
public sealed class TokenEndpoint
{
    private readonly TokenServices _tokens;
    private readonly DecisionFlow _flow;
    private readonly SnapshotHolder _snapshots;
    private readonly IReadOnlyList<IExchangeCheck> _checks;
    private readonly string[] _checkNames;
    private readonly ILogger _logger;

    /// <summary>Creates the endpoint.</summary>
    public TokenEndpoint(TokenServices tokens, CallerResolver resolver, DecisionFlow flow, SnapshotHolder snapshots, ILogger logger)
    {
        _tokens = tokens;
        _flow = flow;
        _snapshots = snapshots;
        _checks = ExchangeChecks.For(tokens, resolver);
        _checkNames = [.. _checks.Select(c => c.GetType().Name.Replace("Check", "", StringComparison.Ordinal).ToLowerInvariant())];
        _logger = logger;
    }

    /// <summary>Handles one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var snapshot = _snapshots.Current;
        var request = HttpFlowRequests.Open(context, Front.OAuth, snapshot, TokenPaths.Token, _tokens.Time.GetUtcNow());
        var state = new ExchangeState(context, request);
        for (var i = 0; i < _checks.Count; i++)
        {
            // Each protocol check is a step of the request's trace (named, never carrying the tokens it reads).
            using var span = MandateTelemetry.StartStep("mandate.exchange." + _checkNames[i]);
            if (await _checks[i].CheckAsync(state, context.RequestAborted) is { } refusal)
            {
                MandateTelemetry.Fail(span, refusal.Code.Code);
                span?.Dispose();
                var refused = await _flow.RefuseAsync(request, CallSubject.None, refusal.Code, refusal.Description);
                Exchanged("refused", refused.Code);
                await OAuthResponse.ErrorAsync(context, refused.Code, refused.Detail, request.DecisionId);
                return;
            }
        }

        var plan = state.Plan!;
        var call = ExchangeCall.For(snapshot.Config.Policies.Namespace, state.Actor!.Value.Identity, plan, state.Subject!.Parent, _tokens.Time.GetUtcNow());

        // INVARIANT: the decision record is durable before the token is issued, and the token is stored before it
        // leaves; a token whose store failed is never shown, and its outcome says so.
        var verdict = await _flow.DecideAsync(request, call);
        if (!verdict.IsAllowed)
        {
            var detail = verdict.Code == ErrorCatalogue.PolicyDeny
                ? $"policy does not allow `{state.Actor.Value.Identity.AgentId}` this {(plan.IsDelegation ? "delegation" : "exchange")}: {verdict.Detail}"
                : verdict.Detail;
            Exchanged("refused", verdict.Code);
            await OAuthResponse.ErrorAsync(context, verdict.Code, detail, request.DecisionId);
            return;
        }

        IssuedTaskToken? issued;
        using (MandateTelemetry.StartStep("mandate.exchange.issue"))
        {
            issued = await IssueAsync(plan, request.DecisionId, context.RequestAborted);
        }

        if (issued is null)
        {
            var code = ErrorCatalogue.ExchangeStoreFailed;
            Exchanged("failed", code);
            _flow.Journal.PostOutcome(request, request.DecisionId, OAuthResponse.Status(code), 0, TimeSpan.Zero, code);
            await OAuthResponse.ErrorAsync(context, code, "the token could not be stored; no token was issued", request.DecisionId);
            return;
        }

        Exchanged("issued", verdict.Code);
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

    private static void Exchanged(string result, ErrorCode code) =>
        GatewayMetrics.Count(GatewayMetrics.TokenExchanges, "mandate.exchange.result", result, SpanAttributes.Code, code.Code);

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
}
