namespace Mandate.Core.Tokens;

/// <summary>The agent performing a token exchange, from its verified <c>actor_token</c> (or mTLS certificate).</summary>
/// <param name="AgentId">The agent's id as Mandate names it (the Cedar <c>Agent</c> entity id).</param>
/// <param name="AuthMethod">How it authenticated (<c>oidc</c>, <c>jwt-svid</c>, <c>x509-svid</c>).</param>
/// <param name="Issuer">The issuer or trust domain that vouched for it.</param>
public sealed record ExchangeActor(string AgentId, string AuthMethod, string Issuer);
