using Mandate.Core.Decisions;

namespace Mandate.Core.Tokens;

/// <summary>
/// Who and what a verified task token stands for. Built from the stored token record, so nothing here is taken on
/// faith from the token's claims.
/// </summary>
public sealed record TaskTokenPrincipal
{
    /// <summary>The token's id.</summary>
    public required string Jti { get; init; }

    /// <summary>The session it belongs to (<c>sid</c>).</summary>
    public required string SessionId { get; init; }

    /// <summary>The parent session for a delegated token, else null.</summary>
    public string? ParentSessionId { get; init; }

    /// <summary>The agent holding the token (innermost actor, <c>client_id</c>'s agent).</summary>
    public required string AgentId { get; init; }

    /// <summary>The user the chain acts for, or null when the agents act for themselves.</summary>
    public string? UserId { get; init; }

    /// <summary>Agent ids outermost → innermost; the last is <see cref="AgentId"/>.</summary>
    public required IReadOnlyList<string> Chain { get; init; }

    /// <summary>0 for a root token, parent's depth + 1 for a child.</summary>
    public required int Depth { get; init; }

    /// <summary>What the token carries.</summary>
    public required TaskGrant Grant { get; init; }

    /// <summary>When it was issued (and its session opened).</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>Its <c>exp</c>.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>DPoP key thumbprint (<c>cnf.jkt</c>) when DPoP-bound; the server then requires a matching proof.</summary>
    public string? Jkt { get; init; }

    /// <summary>The parent token's jti for a delegated token, else null.</summary>
    public string? ParentJti { get; init; }

    /// <summary>The OAuth client id.</summary>
    public required string ClientId { get; init; }

    /// <summary>The token's <c>sub</c>: the user when acting for one, else the chain's first agent.</summary>
    public string Subject => UserId ?? Chain[0];

    /// <summary>
    /// Whether a request falls inside the declared task. The rule: the action is covered by <see cref="TaskGrant.Tools"/>
    /// (or Tools is empty), AND the resource is covered by <see cref="TaskGrant.Resources"/> (or Resources is empty).
    /// Covering is <see cref="GrantPatterns.Covers"/>: exact match, or prefix match for entries ending in <c>*</c>.
    /// A null or empty resource is inside only when Resources is empty.
    /// </summary>
    public bool IsInTask(string action, string? resource)
    {
        var toolOk = Grant.Tools.Count == 0 || GrantPatterns.AnyCovers(Grant.Tools, action);
        var resourceOk = Grant.Resources.Count == 0 || (!string.IsNullOrEmpty(resource) && GrantPatterns.AnyCovers(Grant.Resources, resource));
        return toolOk && resourceOk;
    }

    /// <summary>The Cedar <c>context.session</c> for a request with <paramref name="action"/> on <paramref name="resource"/>.</summary>
    public SessionFacts ToSessionFacts(string action, string? resource) => new(
        SessionId,
        Grant.Intent,
        Grant.Tools,
        Grant.Resources,
        IsInTask(action, resource),
        Depth,
        ParentSessionId ?? "",
        IssuedAt,
        ExpiresAt);

    /// <summary>The Cedar <c>context.delegation</c>: the user (or empty), the chain, and its length.</summary>
    public DelegationFacts ToDelegationFacts() => new(UserId ?? "", Chain, Chain.Count);

    /// <summary>The Cedar <c>context.token</c>: scopes, method <c>task-token</c>, whole seconds left.</summary>
    public TokenFacts ToTokenFacts(DateTimeOffset now) =>
        new(Grant.Scopes, "task-token", Math.Max(0, (long)Math.Floor((ExpiresAt - now).TotalSeconds)));
}
