using Mandate.Core.Errors;
using System.Collections.Concurrent;
using Mandate.Core.Identity;

namespace Mandate.Core.Tokens;

/// <summary>
/// The in-memory view of live token records, sessions and revocations that <see cref="TaskTokenService.Verify"/> reads.
/// Written through to the store by the service; every lookup is a hash lookup.
/// </summary>
/// <remarks>
/// Revocations are kept per target kind: a revoked jti or sid is refused outright; a revoked agent or user refuses
/// every token issued at or before the revocation instant (an "epoch"), so a token whose exchange raced the
/// revocation is still caught. Descendants need no entry of their own: the chain walk finds the revoked ancestor.
/// </remarks>
internal sealed class TaskTokenRegistry
{
    private readonly ConcurrentDictionary<string, TaskTokenRecord> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<TokenDigest, TaskTokenRecord> _byDigest = new();
    private readonly ConcurrentDictionary<string, TaskSessionRecord> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revokedTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revokedSessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revokedAgents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revokedUsers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<TaskRevocationRecord, byte> _revocations = new();

    /// <summary>Live token records.</summary>
    public int TokenCount => _tokens.Count;

    /// <summary>Adds an issued (and stored) token and its session.</summary>
    public void Add(TaskSessionRecord? session, TaskTokenRecord token)
    {
        if (session is not null)
        {
            _sessions[session.Id] = session;
        }
        _tokens[token.Jti] = token;
        if (token.TokenSha256 is { } digest && TaskTokenDigests.TryParse(digest, out var key))
        {
            _byDigest[key] = token;
        }
    }

    /// <summary>Withdraws a token record (its store write failed).</summary>
    public void Remove(TaskTokenRecord token)
    {
        _tokens.TryRemove(new KeyValuePair<string, TaskTokenRecord>(token.Jti, token));
        if (token.TokenSha256 is { } digest && TaskTokenDigests.TryParse(digest, out var key))
        {
            _byDigest.TryRemove(new KeyValuePair<TokenDigest, TaskTokenRecord>(key, token));
        }
    }

    /// <summary>The record of the token whose exact text hashes to <paramref name="digest"/>, or null.</summary>
    public TaskTokenRecord? FindByDigest(TokenDigest digest) => _byDigest.TryGetValue(digest, out var r) ? r : null;

    /// <summary>The record with <paramref name="jti"/>, or null.</summary>
    public TaskTokenRecord? Find(string jti) => _tokens.TryGetValue(jti, out var r) ? r : null;

    /// <summary>The session with <paramref name="sid"/>, or null.</summary>
    public TaskSessionRecord? FindSession(string sid) => _sessions.TryGetValue(sid, out var s) ? s : null;

    /// <summary>Applies a revocation (idempotent; an agent or user epoch only moves forward).</summary>
    public void Apply(TaskRevocationRecord revocation)
    {
        _revocations[revocation] = 0;
        var map = revocation.Target.Kind switch
        {
            RevocationTargetKind.Token => _revokedTokens,
            RevocationTargetKind.Session => _revokedSessions,
            RevocationTargetKind.Agent => _revokedAgents,
            _ => _revokedUsers,
        };
        map.AddOrUpdate(revocation.Target.Id, revocation.RevokedAt, (_, old) => old > revocation.RevokedAt ? old : revocation.RevokedAt);
    }

    /// <summary>Why <paramref name="token"/> itself (not its ancestors) is revoked, or null when it is not.</summary>
    public string? RevokedBecause(TaskTokenRecord token)
    {
        if (_revokedTokens.ContainsKey(token.Jti))
        {
            return $"token `{token.Jti}` was revoked";
        }
        if (_revokedSessions.ContainsKey(token.SessionId))
        {
            return $"session `{token.SessionId}` was ended or revoked";
        }
        if (token.UserId is not null && _revokedUsers.TryGetValue(token.UserId, out var userAt) && token.IssuedAt <= userAt)
        {
            return $"user `{token.UserId}`'s tokens were revoked";
        }
        if (!_revokedAgents.IsEmpty)
        {
            foreach (var agent in token.Chain)
            {
                if (_revokedAgents.TryGetValue(agent, out var agentAt) && token.IssuedAt <= agentAt)
                {
                    return $"agent `{agent}`'s tokens were revoked";
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Checks <paramref name="token"/>'s ancestors hop by hop at <paramref name="now"/>: each exists, is unexpired and
    /// unrevoked, and each hop is no wider and no longer-lived than its parent, one level deeper, with the chain
    /// extended by exactly the child's agent. Returns the error, or null when the chain holds.
    /// </summary>
    public TokenError? CheckAncestry(TaskTokenRecord token, DateTimeOffset now, int maxDepth)
    {
        var child = token;
        // Bounded: each hop lowers the depth, and depth is checked against maxDepth, so a corrupted loop cannot spin.
        for (var hops = 0; child.ParentJti is { } parentJti; hops++)
        {
            if (hops > maxDepth)
            {
                return Broken("the delegation chain is deeper than allowed");
            }
            if (!_tokens.TryGetValue(parentJti, out var parent))
            {
                return Broken($"ancestor `{parentJti}` is unknown or expired");
            }
            if (parent.ExpiresAt <= now)
            {
                return Broken($"ancestor `{parentJti}` has expired");
            }
            if (RevokedBecause(parent) is { } why)
            {
                return new TokenError(ErrorCatalogue.TokenRevoked, "an ancestor is revoked: " + why);
            }
            if (child.Depth != parent.Depth + 1
                || child.Chain.Count != parent.Chain.Count + 1
                || child.UserId != parent.UserId
                || child.ParentSessionId != parent.SessionId
                || !StartsWith(child.Chain, parent.Chain)
                || child.Chain[^1] != child.AgentId)
            {
                return Broken($"token `{child.Jti}` does not extend its parent's chain");
            }
            if (child.ExpiresAt > parent.ExpiresAt)
            {
                return Broken($"token `{child.Jti}` outlives its parent");
            }
            if (!child.Grant.IsWithin(parent.Grant))
            {
                return Broken($"token `{child.Jti}` holds more than its parent");
            }
            child = parent;
        }
        if (child.Depth != 0 || child.Chain.Count != 1)
        {
            return Broken("the root of the chain is not a root token");
        }
        return null;
    }

    /// <summary>Every live token that is valid at <paramref name="now"/> (revocation and chain included).</summary>
    public List<TaskTokenRecord> ValidTokens(DateTimeOffset now, int maxDepth)
    {
        var valid = new List<TaskTokenRecord>();
        foreach (var (_, t) in _tokens)
        {
            if (t.ExpiresAt > now && RevokedBecause(t) is null && CheckAncestry(t, now, maxDepth) is null)
            {
                valid.Add(t);
            }
        }
        return valid;
    }

    /// <summary>True when the revocation set holds <paramref name="target"/> (for jti and sid targets).</summary>
    public bool IsRevoked(RevocationTarget target) => target.Kind switch
    {
        RevocationTargetKind.Token => _revokedTokens.ContainsKey(target.Id),
        RevocationTargetKind.Session => _revokedSessions.ContainsKey(target.Id),
        RevocationTargetKind.Agent => _revokedAgents.ContainsKey(target.Id),
        _ => _revokedUsers.ContainsKey(target.Id),
    };

    /// <summary>Drops expired tokens and sessions, and revocations past their retention.</summary>
    public int Prune(DateTimeOffset now)
    {
        var removed = 0;
        foreach (var (jti, t) in _tokens)
        {
            if (t.ExpiresAt <= now && _tokens.TryRemove(jti, out _))
            {
                if (t.TokenSha256 is { } digest && TaskTokenDigests.TryParse(digest, out var key))
                {
                    _byDigest.TryRemove(key, out _);
                }
                removed++;
            }
        }
        foreach (var (sid, s) in _sessions)
        {
            if (s.ExpiresAt <= now && _sessions.TryRemove(sid, out _))
            {
                removed++;
            }
        }
        foreach (var (r, _) in _revocations)
        {
            if (r.KeepUntil <= now && _revocations.TryRemove(r, out _))
            {
                var map = r.Target.Kind switch
                {
                    RevocationTargetKind.Token => _revokedTokens,
                    RevocationTargetKind.Session => _revokedSessions,
                    RevocationTargetKind.Agent => _revokedAgents,
                    _ => _revokedUsers,
                };
                // Only remove the epoch this record set; a later revocation of the same id keeps its own.
                ((ICollection<KeyValuePair<string, DateTimeOffset>>)map).Remove(new(r.Target.Id, r.RevokedAt));
                removed++;
            }
        }
        return removed;
    }

    private static bool StartsWith(IReadOnlyList<string> chain, IReadOnlyList<string> prefix)
    {
        for (var i = 0; i < prefix.Count; i++)
        {
            if (!string.Equals(chain[i], prefix[i], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    private static TokenError Broken(string description) => new(ErrorCatalogue.TokenChainBroken, description);
}
