namespace Mandate.Core.Tokens;

public sealed partial class TaskTokenService
{
    /// <summary>
    /// Issues the token of an allowed <paramref name="plan"/>: assigns a jti and a session id, records the session and the
    /// token (in memory at once; on disk before returning only with <see cref="TaskTokenOptions.AwaitDurableIssue"/>),
    /// then returns the signed JWT. A delegated token opens a child session of its parent's session.
    /// </summary>
    /// <exception cref="TaskTokenStoreException">With <see cref="TaskTokenOptions.AwaitDurableIssue"/>: the record could not
    /// be stored; no token exists.</exception>
    public async Task<IssuedTaskToken> IssueAsync(ExchangePlan plan, CancellationToken ct = default)
    {
        var key = await Keys.RotateIfDueAsync(_time.GetUtcNow(), ct).ConfigureAwait(false);
        var jti = NewId();
        var sid = "ses_" + NewId();
        var record = new TaskTokenRecord(
            jti, sid, plan.ParentSessionId, plan.ParentJti, plan.Actor.AgentId, plan.UserId, plan.ClientId,
            plan.Chain, plan.Depth, plan.Grant, plan.IssuedAt, plan.ExpiresAt, plan.Jkt, key.KeyId);
        var session = new TaskSessionRecord(
            sid, plan.ParentSessionId, plan.Actor.AgentId, plan.UserId, plan.Grant.Intent, plan.Grant.Tools, plan.Grant.Resources,
            plan.Depth, plan.IssuedAt, plan.ExpiresAt);
        var jwt = TaskTokenClaims.Mint(Options.Issuer, record, key);
        record = record with { TokenSha256 = TaskTokenDigests.Format(TaskTokenDigests.Of(jwt)) };
        // INVARIANT: the record is in memory before the token leaves (Verify reads memory); see AwaitDurableIssue for disk.
        if (Options.AwaitDurableIssue)
        {
            await _store.SaveIssuedAsync(session, record, ct).ConfigureAwait(false);
            _registry.Add(session, record);
        }
        else
        {
            _registry.Add(session, record);
            var write = _store.SaveIssuedAsync(session, record, CancellationToken.None);
            if (!write.IsCompletedSuccessfully)
            {
                var pending = Interlocked.Increment(ref _uncommittedIssues);
                _ = write.ContinueWith(
                    t =>
                    {
                        Interlocked.Decrement(ref _uncommittedIssues);
                        if (!t.IsCompletedSuccessfully)
                        {
                            // A record that never reached the store must not keep a token alive: withdraw it.
                            _registry.Remove(record);
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
                if (pending > Options.MaxUncommittedIssues)
                {
                    // Backpressure: the writer is behind, so this caller waits for its own commit.
                    await write.ConfigureAwait(false);
                }
            }
        }
        return new IssuedTaskToken(jwt, plan.Jkt is null ? "Bearer" : "DPoP", plan.ExpiresAt, jti, sid, plan.Grant);
    }

    /// <summary>The stored session <paramref name="sid"/> while it is live in memory, else null.</summary>
    public TaskSessionRecord? FindSession(string sid) => _registry.FindSession(sid);

    /// <summary>
    /// Mints a short token for one upstream in place of the agent's own: <c>aud</c> = <paramref name="audience"/>,
    /// scopes = <paramref name="scopes"/> ∩ the principal's (all of the principal's when <paramref name="scopes"/> is
    /// empty), expiry = min(now + <paramref name="lifetime"/>, the principal's expiry). Same <c>sub</c>, <c>act</c>,
    /// <c>sid</c> and task details, no <c>cnf</c> (the gateway presents it as a bearer token); a fresh jti that has no record here, so the token is not accepted back by
    /// <see cref="Verify"/>.
    /// </summary>
    public DownstreamToken MintDownstream(TaskTokenPrincipal principal, string audience, IReadOnlyList<string> scopes, TimeSpan lifetime, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(audience);
        var granted = scopes.Count == 0
            ? principal.Grant.Scopes
            : scopes.Where(s => principal.Grant.Scopes.Contains(s, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToArray();
        var lifetimeEnd = ToSeconds(now + (lifetime > TimeSpan.Zero ? lifetime : TimeSpan.FromSeconds(60)));
        var expires = lifetimeEnd < principal.ExpiresAt ? lifetimeEnd : principal.ExpiresAt;
        var key = Keys.Active;
        var claims = TaskTokenClaims.Payload(Options.Issuer, principal.Subject, principal.ClientId, principal.Chain, principal.SessionId,
            granted, [audience], principal.Grant with { Scopes = granted, Audiences = [audience] }, now, expires, "dst_" + NewId(), jkt: null);
        return new DownstreamToken(TaskTokenClaims.Sign(key, claims), expires, granted);
    }
}
