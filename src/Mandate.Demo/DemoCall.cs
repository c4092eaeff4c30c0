namespace Mandate.Demo;

/// <summary>One ready-made request the demo prints as a <c>curl</c> command, with the answer to expect.</summary>
/// <param name="Title">What the call shows, one line.</param>
/// <param name="Agent">Whose token it carries; null for a call without a token.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Target">Path and query exactly as sent (may be deliberately malformed).</param>
/// <param name="Body">JSON body, if any.</param>
/// <param name="ExpectedStatus">The status the gateway answers with the sample policies.</param>
/// <param name="ExpectedPolicy">The policy id the answer cites, when it is a policy decision to point out.</param>
public sealed record DemoCall(
    string Title,
    DemoAgent? Agent,
    string Method,
    string Target,
    string? Body,
    int ExpectedStatus,
    string? ExpectedPolicy);
