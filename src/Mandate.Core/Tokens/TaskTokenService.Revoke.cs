namespace Mandate.Core.Tokens;

public sealed partial class TaskTokenService
{
    /// <summary>
    /// Revokes <paramref name="target"/> and everything derived from it: a token's descendants, a session's child
    /// sessions, every token with the agent anywhere in its chain or issued for the user (up to now). The in-memory set
    /// changes before the store is written, so the next <see cref="Verify"/> on this node refuses; the call returns
    /// once the revocation is durable. Returns how many tokens valid a moment ago are now refused.
    /// </summary>
    /// <exception cref="TaskTokenStoreException">The revocation could not be stored. It is in force on this node
    /// regardless (fail closed) but would not survive a restart; the caller should report the failure.</exception>
    public async Task<int> RevokeAsync(RevocationTarget target, string reason, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(target.Id);
        var now = ToMillis(_time.GetUtcNow());
        var record = new TaskRevocationRecord(target, reason, now, now + Options.MaxLifetime + Options.ClockSkew);
        // Count from the valid set before and after: descendants are refused through their chain, not by entries of their own.
        var before = _registry.ValidTokens(now, Options.MaxDepth);
        _registry.Apply(record);
        var revoked = 0;
        foreach (var t in before)
        {
            if (_registry.RevokedBecause(t) is not null || _registry.CheckAncestry(t, now, Options.MaxDepth) is not null)
            {
                revoked++;
            }
        }
        await _store.SaveRevocationAsync(record, ct).ConfigureAwait(false);
        return revoked;
    }

    /// <summary>Ends a task: revokes the session <paramref name="sid"/>, its tokens and its child sessions. Returns tokens revoked.</summary>
    public Task<int> EndSessionAsync(string sid, CancellationToken ct = default) =>
        RevokeAsync(RevocationTarget.Session(sid), "session ended", ct);
}
