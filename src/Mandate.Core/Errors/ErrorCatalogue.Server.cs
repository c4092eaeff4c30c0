namespace Mandate.Core.Errors;

/// <summary>
/// Requests the HTTP server (Kestrel) refuses itself, before any of Mandate's steps sees them: a malformed request
/// line, bad or duplicate headers, a <c>Host</c> given twice, forbidden characters, oversized headers. Kestrel writes
/// the answer (its status, an empty body); Mandate records it with one of these codes and Kestrel's reason.
/// </summary>
public static partial class ErrorCatalogue
{
    private const string HeadersTooLarge = "request header fields too large";
    private const string TargetTooLong = "uri too long";
    private const string RequestTimeout = "request timeout";
    private const string LengthRequired = "length required";
    private const string VersionNotSupported = "http version not supported";

    /// <summary>Kestrel refused a malformed request (request line, headers, <c>Host</c>, characters, framing) with 400.</summary>
    public static readonly ErrorCode ServerBadRequest = new("server.bad_request", 400, BadRequest);
    /// <summary>Kestrel refused headers larger or more numerous than it reads, with 431.</summary>
    public static readonly ErrorCode ServerHeadersTooLarge = new("server.headers_too_large", 431, HeadersTooLarge);
    /// <summary>Kestrel refused a request line longer than it reads, with 414.</summary>
    public static readonly ErrorCode ServerTargetTooLong = new("server.target_too_long", 414, TargetTooLong);
    /// <summary>Kestrel refused a body larger than it accepts, with 413.</summary>
    public static readonly ErrorCode ServerBodyTooLarge = new("server.body_too_large", 413, PayloadTooLarge);
    /// <summary>Kestrel gave up on headers or a body that arrived too slowly, with 408.</summary>
    public static readonly ErrorCode ServerTimeout = new("server.timeout", 408, RequestTimeout);
    /// <summary>Kestrel refused a request that needs a length and gave none, with 411.</summary>
    public static readonly ErrorCode ServerLengthRequired = new("server.length_required", 411, LengthRequired);
    /// <summary>Kestrel refused a method it does not serve in that form (such as <c>CONNECT</c>), with 405.</summary>
    public static readonly ErrorCode ServerMethodNotAllowed = new("server.method_not_allowed", 405, MethodNotAllowed);
    /// <summary>Kestrel refused an HTTP version it does not speak, with 505.</summary>
    public static readonly ErrorCode ServerVersionNotSupported = new("server.version_not_supported", 505, VersionNotSupported);

    /// <summary>The code of a refusal Kestrel answered with <paramref name="status"/> (400 for any status without its own code).</summary>
    public static ErrorCode ForServerStatus(int status) => status switch
    {
        431 => ServerHeadersTooLarge,
        414 => ServerTargetTooLong,
        413 => ServerBodyTooLarge,
        408 => ServerTimeout,
        411 => ServerLengthRequired,
        405 => ServerMethodNotAllowed,
        505 => ServerVersionNotSupported,
        _ => ServerBadRequest,
    };
}
