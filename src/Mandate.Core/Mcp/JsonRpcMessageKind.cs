namespace Mandate.Core.Mcp;

/// <summary>What one JSON-RPC message is.</summary>
public enum JsonRpcMessageKind
{
    /// <summary>Has a <c>method</c> and an <c>id</c>: expects a response.</summary>
    Request,

    /// <summary>Has a <c>method</c> and no <c>id</c>: expects nothing.</summary>
    Notification,

    /// <summary>Has an <c>id</c> and exactly one of <c>result</c> and <c>error</c>.</summary>
    Response,

    /// <summary>Breaks a rule; <see cref="JsonRpcMessage.Error"/> says which.</summary>
    Invalid,
}
