using Mandate.Core.Decisions;

namespace Mandate.Server.Identify;

/// <summary>A verified caller, or why there is none.</summary>
public sealed record IdentifyResult
{
    private IdentifyResult(CallerIdentity? caller, string? code, string? message)
    {
        Caller = caller;
        ErrorCode = code;
        ErrorMessage = message;
    }

    /// <summary>The caller, when verified.</summary>
    public CallerIdentity? Caller { get; }

    /// <summary>Stable error code (e.g. <c>token.expired</c>), when not verified.</summary>
    public string? ErrorCode { get; }

    /// <summary>Short message for the caller, when not verified (never contains secrets).</summary>
    public string? ErrorMessage { get; }

    /// <summary>A verified caller.</summary>
    public static IdentifyResult Success(CallerIdentity caller) => new(caller, null, null);

    /// <summary>Verification failed.</summary>
    public static IdentifyResult Failure(string code, string message) => new(null, code, message);
}
