using Mandate.Core.Errors;

namespace Mandate.Server.Flow.Identify;

/// <summary>The verified caller, or why there is none (a stable code and a message for the caller).</summary>
public readonly record struct CallerResolution
{
    private CallerResolution(ResolvedCaller? caller, ErrorCode? code, string? message)
    {
        Caller = caller;
        Code = code;
        Message = message;
    }

    /// <summary>The caller, when verified.</summary>
    public ResolvedCaller? Caller { get; }

    /// <summary>Why not, when refused.</summary>
    public ErrorCode? Code { get; }

    /// <summary>The refusal's message for the caller.</summary>
    public string? Message { get; }

    /// <summary>A verified caller.</summary>
    public static CallerResolution Verified(ResolvedCaller caller) => new(caller, null, null);

    /// <summary>A refused credential.</summary>
    public static CallerResolution Refused(ErrorCode code, string message) => new(null, code, message);
}
