namespace Mandate.Core.Tokens;

/// <summary>A minted, recorded task token: what the token endpoint returns.</summary>
/// <param name="AccessToken">The compact JWT.</param>
/// <param name="TokenType"><c>DPoP</c> when bound to a DPoP key, else <c>Bearer</c>.</param>
/// <param name="ExpiresAt">Its <c>exp</c>.</param>
/// <param name="Jti">Its id.</param>
/// <param name="SessionId">The session it opened (<c>sid</c>).</param>
/// <param name="Grant">What it carries.</param>
public sealed record IssuedTaskToken(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, string Jti, string SessionId, TaskGrant Grant)
{
    /// <summary>RFC 8693 <c>issued_token_type</c> of a task token.</summary>
    public const string IssuedTokenType = "urn:ietf:params:oauth:token-type:access_token";
}
