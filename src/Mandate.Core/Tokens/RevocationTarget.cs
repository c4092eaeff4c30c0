namespace Mandate.Core.Tokens;

/// <summary>What a revocation names.</summary>
public enum RevocationTargetKind
{
    /// <summary>One token (by jti) and every token derived from it.</summary>
    Token,

    /// <summary>A session (by sid): its tokens and every child session's.</summary>
    Session,

    /// <summary>An agent: every token where it is the actor or anywhere in the chain, issued up to now.</summary>
    Agent,

    /// <summary>A user: every token issued for that user up to now.</summary>
    User,
}

/// <summary>A revocation target: a kind and an id.</summary>
/// <param name="Kind">What <paramref name="Id"/> names.</param>
/// <param name="Id">The jti, sid, agent id or user id.</param>
public sealed record RevocationTarget(RevocationTargetKind Kind, string Id)
{
    /// <summary>A token and its descendants.</summary>
    public static RevocationTarget Token(string jti) => new(RevocationTargetKind.Token, jti);

    /// <summary>A session and its child sessions.</summary>
    public static RevocationTarget Session(string sid) => new(RevocationTargetKind.Session, sid);

    /// <summary>Every token of an agent's chains.</summary>
    public static RevocationTarget Agent(string agentId) => new(RevocationTargetKind.Agent, agentId);

    /// <summary>Every token for a user.</summary>
    public static RevocationTarget User(string userId) => new(RevocationTargetKind.User, userId);
}
