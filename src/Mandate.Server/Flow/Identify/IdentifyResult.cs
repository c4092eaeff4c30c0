using Mandate.Core.Decisions;
using Mandate.Core.Errors;

namespace Mandate.Server.Flow.Identify;

/// <summary>A verified workload credential (OIDC JWT, SPIFFE JWT-SVID, X.509-SVID), or why it is not one.</summary>
public sealed record IdentifyResult
{
    private IdentifyResult(CallerIdentity? caller, ErrorCode? code, string? message)
    {
        Caller = caller;
        ErrorCode = code;
        ErrorMessage = message;
    }

    /// <summary>The caller, when verified.</summary>
    public CallerIdentity? Caller { get; }

    /// <summary>Stable error code (e.g. <c>token.expired</c>), when not verified.</summary>
    public ErrorCode? ErrorCode { get; }

    /// <summary>Short message for the caller, when not verified (never contains secrets or caller-sent text).</summary>
    public string? ErrorMessage { get; }

    /// <summary>A verified caller.</summary>
    public static IdentifyResult Success(CallerIdentity caller) => new(caller, null, null);

    /// <summary>Verification failed.</summary>
    public static IdentifyResult Failure(ErrorCode code, string message) => new(null, code, message);
}
