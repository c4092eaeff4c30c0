using Mandate.Core.Decisions;
using Mandate.Core.Tokens;

namespace Mandate.Server.Tokens;

/// <summary>The outcome of checking a presented task token: the verified principal, or a refusal with a stable code.</summary>
public sealed record TaskTokenAcceptance
{
    private TaskTokenAcceptance(TaskTokenPrincipal? principal, CallerIdentity? caller, int status, string? code, string? message)
    {
        Principal = principal;
        Caller = caller;
        Status = status;
        Code = code;
        Message = message;
    }

    /// <summary>The verified token's principal.</summary>
    public TaskTokenPrincipal? Principal { get; }

    /// <summary>The caller as the decision path sees it (method <c>task-token</c>).</summary>
    public CallerIdentity? Caller { get; }

    /// <summary>HTTP status of a refusal (401, or 400 for a malformed request).</summary>
    public int Status { get; }

    /// <summary>Stable refusal code (<c>token.revoked</c>, <c>dpop.invalid_proof</c>, …).</summary>
    public string? Code { get; }

    /// <summary>Message for the caller.</summary>
    public string? Message { get; }

    /// <summary>True when the token was accepted.</summary>
    public bool Ok => Principal is not null;

    /// <summary>An accepted token.</summary>
    public static TaskTokenAcceptance Accepted(TaskTokenPrincipal principal, CallerIdentity caller) => new(principal, caller, 200, null, null);

    /// <summary>A refused token.</summary>
    public static TaskTokenAcceptance Refused(string code, string message, int status = 401) => new(null, null, status, code, message);
}
