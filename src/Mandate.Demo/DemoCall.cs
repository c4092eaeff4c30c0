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
    string? ExpectedPolicy)
{
    /// <summary>
    /// The shell variable holding the token the call carries, when it is not the agent's own workload token
    /// (<see cref="DemoScript.TaskVariable"/> for the agent's task token); null: the agent's variable.
    /// </summary>
    public string? TokenVariable { get; init; }

    /// <summary>The <c>Accept</c> header to send, if any (MCP's Streamable HTTP asks for JSON and SSE).</summary>
    public string? Accept { get; init; }

    /// <summary>Text the answer's body must contain (e.g. a tool's result); null: nothing particular.</summary>
    public string? ExpectedText { get; init; }

    /// <summary>For an MCP call: the <c>error.data.rule</c> of the JSON-RPC error the answer must carry; null when a result is expected.</summary>
    public string? ExpectedRule { get; init; }

    /// <summary>For an HTTP refusal: the problem's <c>code</c> (e.g. <c>approval.required</c>); null: not pointed out.</summary>
    public string? ExpectedCode { get; init; }

    /// <summary>
    /// When set, the call is printed as <c>NAME=$(curl … | tee /dev/stderr | sed …)</c>: the answer is shown as usual
    /// and one member of its JSON body is kept in a shell variable for the lines after it.
    /// </summary>
    public DemoCapture? Capture { get; init; }

    /// <summary>The shell variable holding the approval id the call presents as <c>Mandate-Approval</c>; null: none.</summary>
    public string? ApprovalVariable { get; init; }
}
