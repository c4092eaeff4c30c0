namespace Mandate.Core.Errors;

/// <summary>
/// The MCP front's codes: the endpoint's HTTP rules (answered as problem+json before any message is read) and the
/// per-message rules (answered as JSON-RPC errors whose <c>error.data.rule</c> is the code).
/// </summary>
public static partial class ErrorCatalogue
{
    /// <summary>A message forwarded without a decision: protocol housekeeping (initialize, ping, notifications).</summary>
    public static readonly ErrorCode McpPlumbing = new("mcp.plumbing", 200, Allowed);
    /// <summary>A client's answer to a server-initiated request, forwarded without a decision.</summary>
    public static readonly ErrorCode McpClientResponse = new("mcp.client_response", 200, Allowed);
    /// <summary>The session's server-sent event stream (GET), opened for the session's own agent.</summary>
    public static readonly ErrorCode McpStream = new("mcp.stream", 200, Allowed);
    /// <summary>The end of a session (DELETE) by the session's own agent.</summary>
    public static readonly ErrorCode McpSessionEnd = new("mcp.session_end", 200, Allowed);

    /// <summary>A browser origin that may not call this endpoint.</summary>
    public static readonly ErrorCode McpOrigin = new("mcp.origin", 403, Forbidden);
    /// <summary>An unsupported or repeated protocol version (header or <c>_meta</c>); on a POST the JSON-RPC answer is MCP's <c>UnsupportedProtocolVersionError</c> listing the supported ones.</summary>
    public static readonly ErrorCode McpProtocolVersion = new("mcp.protocol_version", 400, BadRequest, UnsupportedProtocolVersion);
    /// <summary>More than one <c>Mcp-Session-Id</c> header.</summary>
    public static readonly ErrorCode McpSessionHeader = new("mcp.session_header", 400, BadRequest);
    /// <summary>A session id this agent does not own (unknown and foreign ids answer alike).</summary>
    public static readonly ErrorCode McpSessionUnknown = new("mcp.session_unknown", 404, NotFound, InvalidRequest);
    /// <summary>An MCP endpoint takes GET, POST and DELETE only.</summary>
    public static readonly ErrorCode McpMethodNotAllowed = new("mcp.method_not_allowed", 405, MethodNotAllowed);
    /// <summary>A POST that is not <c>application/json</c>.</summary>
    public static readonly ErrorCode McpContentType = new("mcp.content_type", 415, UnsupportedMediaType);
    /// <summary>A stdio server's session starts with <c>initialize</c>.</summary>
    public static readonly ErrorCode McpSessionRequired = new("mcp.session_required", 400, BadRequest, InvalidRequest);
    /// <summary><c>MCP-Protocol-Version</c> / <c>Mcp-Method</c> / <c>Mcp-Name</c> headers that do not match the body, or (2026-07-28) are missing: MCP's <c>HeaderMismatch</c>.</summary>
    public static readonly ErrorCode McpHeaderMismatch = new("mcp.header_mismatch", 400, BadRequest, HeaderMismatch);
    /// <summary>A modern request's <c>_meta</c> lacks a required key, holds a reserved key of the wrong type, or a reserved key Mandate does not know.</summary>
    public static readonly ErrorCode McpMeta = new("mcp.meta", 400, BadRequest, InvalidParams);
    /// <summary>A tool argument whose type is not the one the tool's <c>inputSchema</c> declares (refused before the decision).</summary>
    public static readonly ErrorCode McpArgumentType = new("mcp.argument_type", 400, BadRequest, InvalidParams);
    /// <summary>What the server answered cannot be carried in the client's protocol era (e.g. an <c>input_required</c> result to a 2025 client).</summary>
    public static readonly ErrorCode McpEraTranslation = new("mcp.era_translation", 502, BadGateway, InternalError);
    /// <summary>A request the server sends to the client (sampling, elicitation, roots), or an <c>input_required</c> round asking for one, that the policies do not allow: it never reaches the client.</summary>
    public static readonly ErrorCode McpServerRequestDenied = new("mcp.server_request_denied", 403, Forbidden, Refused);
    /// <summary>An allowed message of a batch in which another message was refused (a batch is all or nothing).</summary>
    public static readonly ErrorCode McpBatchRefused = new("mcp.batch_refused", 400, BadRequest, InvalidRequest);
    /// <summary>A tool whose definition changed since it was pinned; an administrator must accept it.</summary>
    public static readonly ErrorCode McpToolChanged = new("mcp.tool_changed", 403, Forbidden, Refused);
    /// <summary>The server issued a session id already bound to another agent.</summary>
    public static readonly ErrorCode McpSessionConflict = new("mcp.session_conflict", 502, BadGateway, InternalError);
    /// <summary>No more stdio sessions can be opened now.</summary>
    public static readonly ErrorCode McpSessionsFull = new("mcp.sessions_full", 503, Unavailable, InternalError);
    /// <summary>A method Mandate does not know (it forwards only methods it understands).</summary>
    public static readonly ErrorCode McpUnknownMethod = new("mcp.unknown_method", 400, BadRequest, MethodNotFound);
    /// <summary>A request method sent as a notification (it would act while no answer could reach the caller).</summary>
    public static readonly ErrorCode McpNotificationNotAllowed = new("mcp.notification_not_allowed", 400, BadRequest, InvalidRequest);
    /// <summary>A notification method sent as a request.</summary>
    public static readonly ErrorCode McpRequestNotAllowed = new("mcp.request_not_allowed", 400, BadRequest, InvalidRequest);
    /// <summary>A tool name Mandate cannot read unambiguously.</summary>
    public static readonly ErrorCode McpToolName = new("mcp.tool_name", 400, BadRequest, InvalidParams);
    /// <summary>A prompt name Mandate cannot read unambiguously.</summary>
    public static readonly ErrorCode McpPromptName = new("mcp.prompt_name", 400, BadRequest, InvalidParams);
    /// <summary>A resource URI Mandate cannot read unambiguously.</summary>
    public static readonly ErrorCode McpResourceUri = new("mcp.resource_uri", 400, BadRequest, InvalidParams);
    /// <summary><c>params.arguments</c> is not an object.</summary>
    public static readonly ErrorCode McpBadArguments = new("mcp.bad_arguments", 400, BadRequest, InvalidParams);
    /// <summary><c>params</c> holds a member Mandate would not decide on, or a malformed reference.</summary>
    public static readonly ErrorCode McpBadParams = new("mcp.bad_params", 400, BadRequest, InvalidParams);
    /// <summary><c>initialize</c> inside a batch.</summary>
    public static readonly ErrorCode McpInitializeInBatch = new("mcp.initialize_in_batch", 400, BadRequest, InvalidRequest);
    /// <summary>The configured server name cannot make an unambiguous entity id (a configuration bug).</summary>
    public static readonly ErrorCode McpServerName = new("mcp.server_name", 503, Unavailable, InternalError);
    /// <summary>Control plane: no such MCP server is configured.</summary>
    public static readonly ErrorCode McpServerUnknown = new("mcp.server_unknown", 404, NotFound);
    /// <summary>Control plane: the tool was never listed through Mandate, so there is no definition to accept.</summary>
    public static readonly ErrorCode McpToolUnknown = new("mcp.tool_unknown", 404, NotFound);
    /// <summary>Control plane: the tool pin store could not be written.</summary>
    public static readonly ErrorCode McpPinStoreUnavailable = new("mcp.pin_store_unavailable", 503, Unavailable);
}
