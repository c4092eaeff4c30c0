namespace Mandate.Core.Mcp;

/// <summary>An accepted tool definition: the fingerprint Mandate holds a server's tool to.</summary>
/// <param name="Server">The upstream MCP server's configured name.</param>
/// <param name="Tool">The tool name.</param>
/// <param name="Hash">The accepted <see cref="ToolDefinitionHash"/>.</param>
/// <param name="AcceptedBy">Who accepted it: an administrator, or <see cref="ToolPinCheck.TrustOnFirstUse"/>.</param>
/// <param name="AcceptedAt">When.</param>
public sealed record ToolPin(string Server, string Tool, string Hash, string AcceptedBy, DateTimeOffset AcceptedAt);
