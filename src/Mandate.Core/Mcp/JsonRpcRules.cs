namespace Mandate.Core.Mcp;

/// <summary>
/// Stable codes naming the rule a JSON-RPC or MCP message broke. They travel in the error's
/// <c>data.rule</c> and in audit records; never change a published value.
/// </summary>
public static class JsonRpcRules
{
    /// <summary>The body is larger than <see cref="JsonRpcLimits.MaxBytes"/>.</summary>
    public const string TooLarge = "jsonrpc.too_large";

    /// <summary>The body is not valid JSON.</summary>
    public const string Parse = "jsonrpc.parse";

    /// <summary>The body is not valid UTF-8, or a string escapes an unpaired surrogate.</summary>
    public const string InvalidUtf8 = "jsonrpc.invalid_utf8";

    /// <summary>The body nests deeper than <see cref="JsonRpcLimits.MaxDepth"/>.</summary>
    public const string Depth = "jsonrpc.depth";

    /// <summary>An object, at any level, repeats a member name.</summary>
    public const string DuplicateKey = "jsonrpc.duplicate_key";

    /// <summary>An object holds two member names that differ only in letter case (see <see cref="JsonRpcLimits.RefuseCaseFoldedDuplicates"/>).</summary>
    public const string DuplicateKeyCase = "jsonrpc.duplicate_key_case";

    /// <summary>A member name holds a control character (U+0000–U+001F, U+007F), which some decoders truncate at.</summary>
    public const string ControlInName = "jsonrpc.control_in_name";

    /// <summary>A batch (JSON array) where batches are not allowed.</summary>
    public const string BatchNotAllowed = "jsonrpc.batch_not_allowed";

    /// <summary>An empty batch.</summary>
    public const string EmptyBatch = "jsonrpc.empty_batch";

    /// <summary>A batch with more than <see cref="JsonRpcLimits.MaxBatch"/> messages.</summary>
    public const string BatchTooLarge = "jsonrpc.batch_too_large";

    /// <summary>Two requests (or two responses) of one batch share an id.</summary>
    public const string DuplicateId = "jsonrpc.duplicate_id";

    /// <summary>A message is not a JSON object.</summary>
    public const string NotObject = "jsonrpc.not_object";

    /// <summary><c>jsonrpc</c> is missing or not exactly <c>"2.0"</c>.</summary>
    public const string BadVersion = "jsonrpc.bad_version";

    /// <summary>An id that is not a string or an integer (or null where null is not allowed).</summary>
    public const string BadId = "jsonrpc.bad_id";

    /// <summary>A top-level member JSON-RPC does not define.</summary>
    public const string UnknownMember = "jsonrpc.unknown_member";

    /// <summary>Neither <c>method</c> nor <c>result</c>/<c>error</c>.</summary>
    public const string MissingMethod = "jsonrpc.missing_method";

    /// <summary><c>method</c> is not a string.</summary>
    public const string BadMethod = "jsonrpc.bad_method";

    /// <summary><c>params</c> is not an object.</summary>
    public const string BadParams = "jsonrpc.bad_params";

    /// <summary>A message mixes request and response members, or a response has both or neither of result and error.</summary>
    public const string BadResponse = "jsonrpc.bad_response";

    /// <summary>A response's <c>error</c> is not <c>{code: integer, message: string, data?}</c>.</summary>
    public const string BadError = "jsonrpc.bad_error";

    /// <summary>A method Mandate does not know (never forwarded).</summary>
    public const string UnknownMethod = "mcp.unknown_method";

    /// <summary>A notification (no id) whose method is a request method, e.g. <c>tools/call</c> without an id.</summary>
    public const string NotificationNotAllowed = "mcp.notification_not_allowed";

    /// <summary>A request (with an id) whose method is a notification method.</summary>
    public const string RequestNotAllowed = "mcp.request_not_allowed";

    /// <summary>A tool name that is missing, too long or holds characters outside <c>[A-Za-z0-9_.\-/]</c>.</summary>
    public const string ToolName = "mcp.tool_name";

    /// <summary>A prompt name that is missing, too long or holds characters outside <c>[A-Za-z0-9_.\-/]</c>.</summary>
    public const string PromptName = "mcp.prompt_name";

    /// <summary>A resource URI that is missing, too long or holds control characters or spaces.</summary>
    public const string ResourceUri = "mcp.resource_uri";

    /// <summary>Tool arguments that are not an object.</summary>
    public const string BadArguments = "mcp.bad_arguments";

    /// <summary>An MCP method's <c>params</c> lack a member it requires.</summary>
    public const string McpBadParams = "mcp.bad_params";

    /// <summary>A batch holds <c>initialize</c>.</summary>
    public const string InitializeInBatch = "mcp.initialize_in_batch";

    /// <summary>The configured upstream server name cannot form entity ids (a configuration bug; fails closed).</summary>
    public const string ServerName = "mcp.server_name";

    /// <summary>A policy denied the call.</summary>
    public const string PolicyDeny = "policy.deny";
}
