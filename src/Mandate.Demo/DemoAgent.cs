namespace Mandate.Demo;

/// <summary>An agent the demo issuer mints tokens for.</summary>
/// <param name="Id">The agent id (the Cedar principal <c>Mandate::Agent::"Id"</c>).</param>
/// <param name="User">The user it acts for (token <c>sub</c>, with the agent in an RFC 8693 <c>act</c> claim), or null when it acts for itself.</param>
/// <param name="Scopes">The token's <c>scope</c> values.</param>
/// <param name="Description">One line for the demo's printout.</param>
public sealed record DemoAgent(string Id, string? User, IReadOnlyList<string> Scopes, string Description);
