namespace Mandate.Core.Tokens;

/// <summary>A stored task token: everything <see cref="TaskTokenService.Verify"/> checks a presented token against.</summary>
/// <param name="Jti">Token id.</param>
/// <param name="SessionId">Its session.</param>
/// <param name="ParentSessionId">The parent's session for a delegated token, else null.</param>
/// <param name="ParentJti">The parent token for a delegated token, else null.</param>
/// <param name="AgentId">The agent it was issued to.</param>
/// <param name="UserId">The user the chain acts for, or null.</param>
/// <param name="ClientId">The OAuth client id.</param>
/// <param name="Chain">Agent ids outermost → innermost.</param>
/// <param name="Depth">Delegation depth.</param>
/// <param name="Grant">What it carries.</param>
/// <param name="IssuedAt">Its <c>iat</c>.</param>
/// <param name="ExpiresAt">Its <c>exp</c>.</param>
/// <param name="Jkt">DPoP key thumbprint, or null.</param>
/// <param name="KeyId">The kid of the key that signed it.</param>
/// <param name="TokenSha256">SHA-256 of the exact compact JWT issued, base64url: lets <see cref="TaskTokenService.Verify"/>
/// recognise a token it minted without re-checking the signature. The token itself is never stored.</param>
public sealed record TaskTokenRecord(
    string Jti,
    string SessionId,
    string? ParentSessionId,
    string? ParentJti,
    string AgentId,
    string? UserId,
    string ClientId,
    IReadOnlyList<string> Chain,
    int Depth,
    TaskGrant Grant,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    string? Jkt,
    string KeyId,
    string? TokenSha256 = null)
{
    /// <summary>The principal this record stands for.</summary>
    public TaskTokenPrincipal ToPrincipal() => new()
    {
        Jti = Jti,
        SessionId = SessionId,
        ParentSessionId = ParentSessionId,
        AgentId = AgentId,
        UserId = UserId,
        Chain = Chain,
        Depth = Depth,
        Grant = Grant,
        IssuedAt = IssuedAt,
        ExpiresAt = ExpiresAt,
        Jkt = Jkt,
        ParentJti = ParentJti,
        ClientId = ClientId,
    };
}
