namespace Mandate.Core.Mcp;

/// <summary>The numeric JSON-RPC error codes Mandate answers with.</summary>
public static class JsonRpcErrorCodes
{
    /// <summary>The body is not valid UTF-8 JSON.</summary>
    public const int ParseError = -32700;

    /// <summary>The JSON is not a valid JSON-RPC message (or batch), or breaks a size rule.</summary>
    public const int InvalidRequest = -32600;

    /// <summary>The method is unknown (Mandate forwards only methods it understands).</summary>
    public const int MethodNotFound = -32601;

    /// <summary>The method's parameters are malformed.</summary>
    public const int InvalidParams = -32602;

    /// <summary>Mandate itself failed; the call was not forwarded.</summary>
    public const int InternalError = -32603;

    /// <summary>A policy denied the call (implementation-defined server error range).</summary>
    public const int PolicyDenied = -32001;
}
