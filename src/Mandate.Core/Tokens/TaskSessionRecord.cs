namespace Mandate.Core.Tokens;

/// <summary>A stored task session. Every exchange opens one; a delegated token's session names its parent session.</summary>
/// <param name="Id">The session id (<c>sid</c>).</param>
/// <param name="ParentId">The parent session, or null for a root session.</param>
/// <param name="AgentId">The agent that opened it.</param>
/// <param name="UserId">The user it acts for, or null.</param>
/// <param name="Intent">The declared intent.</param>
/// <param name="Tools">Declared tools/actions (empty = any).</param>
/// <param name="Resources">Declared resources (empty = any).</param>
/// <param name="Depth">Delegation depth.</param>
/// <param name="CreatedAt">When it opened.</param>
/// <param name="ExpiresAt">When it ends at the latest.</param>
public sealed record TaskSessionRecord(
    string Id,
    string? ParentId,
    string AgentId,
    string? UserId,
    string Intent,
    IReadOnlyList<string> Tools,
    IReadOnlyList<string> Resources,
    int Depth,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);
