namespace Mandate.Core.Errors;

/// <summary>The strict JSON-RPC reader's codes: a body or a message that is not the JSON-RPC 2.0 Mandate reads.</summary>
public static partial class ErrorCatalogue
{
    /// <summary>The body is larger than the endpoint reads.</summary>
    public static readonly ErrorCode JsonRpcTooLarge = new("jsonrpc.too_large", 413, PayloadTooLarge, InvalidRequest);
    /// <summary>The body is not JSON (or empty).</summary>
    public static readonly ErrorCode JsonRpcParse = JsonRpc("parse", ParseError);
    /// <summary>The body is not valid UTF-8, or a string escapes an unpaired surrogate.</summary>
    public static readonly ErrorCode JsonRpcInvalidUtf8 = JsonRpc("invalid_utf8", ParseError);
    /// <summary>The body nests deeper than allowed.</summary>
    public static readonly ErrorCode JsonRpcDepth = JsonRpc("depth", InvalidRequest);
    /// <summary>An object repeats a member name.</summary>
    public static readonly ErrorCode JsonRpcDuplicateKey = JsonRpc("duplicate_key", InvalidRequest);
    /// <summary>Two member names of one object differ only in letter case.</summary>
    public static readonly ErrorCode JsonRpcDuplicateKeyCase = JsonRpc("duplicate_key_case", InvalidRequest);
    /// <summary>A member name holds a control character.</summary>
    public static readonly ErrorCode JsonRpcControlInName = JsonRpc("control_in_name", InvalidRequest);
    /// <summary>A batch where the protocol version has none.</summary>
    public static readonly ErrorCode JsonRpcBatchNotAllowed = JsonRpc("batch_not_allowed", InvalidRequest);
    /// <summary>An empty batch.</summary>
    public static readonly ErrorCode JsonRpcEmptyBatch = JsonRpc("empty_batch", InvalidRequest);
    /// <summary>A batch with more messages than allowed.</summary>
    public static readonly ErrorCode JsonRpcBatchTooLarge = JsonRpc("batch_too_large", InvalidRequest);
    /// <summary>An id used twice in one batch.</summary>
    public static readonly ErrorCode JsonRpcDuplicateId = JsonRpc("duplicate_id", InvalidRequest);
    /// <summary>A message that is not a JSON object.</summary>
    public static readonly ErrorCode JsonRpcNotObject = JsonRpc("not_object", InvalidRequest);
    /// <summary><c>jsonrpc</c> is not exactly <c>"2.0"</c>.</summary>
    public static readonly ErrorCode JsonRpcBadVersion = JsonRpc("bad_version", InvalidRequest);
    /// <summary>An id that is neither a string nor an integer, or a response without one.</summary>
    public static readonly ErrorCode JsonRpcBadId = JsonRpc("bad_id", InvalidRequest);
    /// <summary>A member that is not part of JSON-RPC 2.0.</summary>
    public static readonly ErrorCode JsonRpcUnknownMember = JsonRpc("unknown_member", InvalidRequest);
    /// <summary>A message without a method (or <c>params</c> without one).</summary>
    public static readonly ErrorCode JsonRpcMissingMethod = JsonRpc("missing_method", InvalidRequest);
    /// <summary>A method that is not a string.</summary>
    public static readonly ErrorCode JsonRpcBadMethod = JsonRpc("bad_method", InvalidRequest);
    /// <summary><c>params</c> that is not an object.</summary>
    public static readonly ErrorCode JsonRpcBadParams = JsonRpc("bad_params", InvalidParams);
    /// <summary>A response with both or neither of <c>result</c> and <c>error</c>, or with a method.</summary>
    public static readonly ErrorCode JsonRpcBadResponse = JsonRpc("bad_response", InvalidRequest);
    /// <summary>A malformed <c>error</c> member.</summary>
    public static readonly ErrorCode JsonRpcBadError = JsonRpc("bad_error", InvalidRequest);

    private static ErrorCode JsonRpc(string rule, int code) => new("jsonrpc." + rule, 400, BadRequest, code);
}
