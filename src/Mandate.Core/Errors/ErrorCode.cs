namespace Mandate.Core.Errors;

/// <summary>
/// One stable error code and how every front renders it. Codes are defined once, in <see cref="ErrorCatalogue"/>,
/// and listed in <c>docs/errors.md</c>; a test fails when the two disagree. Never rename a code: it reaches
/// callers, audit records and dashboards.
/// </summary>
/// <param name="Code">The code itself, <c>family.rule</c> (e.g. <c>policy.deny</c>).</param>
/// <param name="HttpStatus">The status of a problem+json answer carrying this code (HTTP proxy and MCP endpoint refusals).</param>
/// <param name="Title">The problem's short title (a lowercase phrase shared by every code of the same status).</param>
/// <param name="JsonRpc">The JSON-RPC error code when an MCP message is refused with this code; null when MCP never answers it as a JSON-RPC error.</param>
/// <param name="OAuth">The OAuth <c>error</c> when the token endpoint refuses with this code; null when it never does.</param>
public sealed record ErrorCode(string Code, int HttpStatus, string Title, int? JsonRpc = null, string? OAuth = null)
{
    /// <inheritdoc />
    public override string ToString() => Code;
}
