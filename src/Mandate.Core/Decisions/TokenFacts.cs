namespace Mandate.Core.Decisions;

/// <summary>Facts about the credential the caller presented (Cedar <c>context.token</c>).</summary>
/// <param name="Scopes">Granted scopes.</param>
/// <param name="Method">How the caller authenticated (<c>oidc</c>, <c>jwt-svid</c>, <c>x509-svid</c>).</param>
/// <param name="SecondsLeft">Whole seconds until the credential expires, 0 when expired or unknown.</param>
public sealed record TokenFacts(IReadOnlyList<string> Scopes, string Method, long SecondsLeft);
