namespace Mandate.Core.Tokens;

/// <summary>A short-lived token minted for one upstream in place of the agent's own token.</summary>
/// <param name="AccessToken">The compact JWT (aud = the upstream).</param>
/// <param name="ExpiresAt">Its <c>exp</c>, never later than the task token's.</param>
/// <param name="Scopes">The scopes it carries (requested ∩ the task token's).</param>
public sealed record DownstreamToken(string AccessToken, DateTimeOffset ExpiresAt, IReadOnlyList<string> Scopes);
