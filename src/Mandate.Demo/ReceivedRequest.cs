namespace Mandate.Demo;

/// <summary>A request as the sample API received it (what the gateway forwarded).</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Raw path and query as received.</param>
/// <param name="HadAuthorization">True when an <c>Authorization</c> header arrived (the gateway must strip the agent's token).</param>
/// <param name="ApiKey">The <c>X-Api-Key</c> header, when present.</param>
public sealed record ReceivedRequest(string Method, string Path, bool HadAuthorization, string? ApiKey);
