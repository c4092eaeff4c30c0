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
    /// Whether a request falls inside the declared task: some name of its action is covered by
    /// <see cref="TaskGrant.Tools"/> (or Tools is empty), AND some name of its resource is covered by
    /// <see cref="TaskGrant.Resources"/> (or Resources is empty). Covering is <see cref="GrantPatterns.Covers"/>: exact
    /// match, or prefix match for entries ending in <c>*</c>. A call has several names (an HTTP route's action id; an MCP
    /// tool's action id and <c>server/tool</c>; a resource's entity and canonical path), and any one of them may be the
    /// one the task declared. This is the one in-task rule: every front asks it.
    /// </summary>
    public bool IsInTask(IReadOnlyList<string> actionNames, IReadOnlyList<string> resourceNames)
    {
        return Covered(Grant.Tools, actionNames) && Covered(Grant.Resources, resourceNames);

        static bool Covered(IReadOnlyList<string> declared, IReadOnlyList<string> names)
        {
            if (declared.Count == 0)
            {
                return true;
            }

            foreach (var name in names)
            {
                if (!string.IsNullOrEmpty(name) && GrantPatterns.AnyCovers(declared, name))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The in-task rule for one action name and at most one resource name (see the list overload).</summary>
    public bool IsInTask(string action, string? resource) => IsInTask([action], resource is null ? [] : [resource]);

    /// <summary>The Cedar <c>context.session</c> for a request with <paramref name="action"/> on <paramref name="resource"/>.</summary>
    public SessionFacts ToSessionFacts(string action, string? resource) => ToSessionFacts(IsInTask(action, resource));

    /// <summary>The Cedar <c>context.session</c> for a request whose in-task answer is <paramref name="inTask"/>.</summary>
    public SessionFacts ToSessionFacts(bool inTask) => new(
        SessionId,
        Grant.Intent,
        Grant.Tools,
        Grant.Resources,
        inTask,
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
