namespace Mandate.Core.Errors;

/// <summary>The decision flow's own codes: verdicts, failures of the machinery, the session rules, forwarding.</summary>
public static partial class ErrorCatalogue
{
    /// <summary>A policy permitted the call.</summary>
    public static readonly ErrorCode PolicyAllow = new("policy.allow", 200, Allowed);

    /// <summary>No permit applied, or a forbid did.</summary>
    public static readonly ErrorCode PolicyDeny = new("policy.deny", 403, Forbidden, Refused, "invalid_request");

    /// <summary>The call lies outside the task its token was issued for (refused before policy with <c>outOfTask: deny</c>).</summary>
    public static readonly ErrorCode SessionOutOfTask = new("session.out_of_task", 403, Forbidden, Refused);

    /// <summary>The token's session does not belong to the agent presenting it (or the client certificate is another agent).</summary>
    public static readonly ErrorCode SessionAgentMismatch = new("session.agent_mismatch", 401, Unauthenticated, null, "invalid_request");

    /// <summary>A delegated task token is deeper than <c>tokens.maxDepth</c> allows, at issue or (after a reload lowered it) at use.</summary>
    public static readonly ErrorCode DelegationDepthExceeded = new("delegation.depth_exceeded", 403, Forbidden, Refused, "invalid_request");

    /// <summary>The decision could not be made (an exception in the machinery); denied.</summary>
    public static readonly ErrorCode DecisionFailed = new("decision.failed", 503, Unavailable, InternalError, "server_error");

    /// <summary>The decision record could not be made durable; nothing was forwarded or issued.</summary>
    public static readonly ErrorCode AuditUnavailable = new("audit.unavailable", 503, Unavailable, InternalError, "server_error");

    /// <summary>An unexpected failure anywhere on the request path; nothing was forwarded.</summary>
    public static readonly ErrorCode GatewayError = new("gateway.error", 503, Unavailable, InternalError, "server_error");

    /// <summary>No route matches the path.</summary>
    public static readonly ErrorCode RouteNotFound = new("route.not_found", 404, NotFound);

    /// <summary>Routes match the path but not the method.</summary>
    public static readonly ErrorCode RouteMethodNotAllowed = new("route.method_not_allowed", 405, MethodNotAllowed);

    /// <summary>An <c>args: json</c> body is not one strict JSON object (bad JSON, repeated member names, not UTF-8, empty).</summary>
    public static readonly ErrorCode RequestBadJson = new("request.bad_json", 400, BadRequest);

    /// <summary>An <c>args: json</c> body is larger than the route's cap.</summary>
    public static readonly ErrorCode RequestTooLarge = new("request.too_large", 413, PayloadTooLarge);

    /// <summary>An <c>args: json</c> body is not <c>application/json</c>.</summary>
    public static readonly ErrorCode RequestUnsupportedMediaType = new("request.unsupported_media_type", 415, UnsupportedMediaType);

    /// <summary>The upstream's vaulted credential is unavailable (missing, undecryptable, vault unreadable).</summary>
    public static readonly ErrorCode UpstreamCredentialUnavailable = new("upstream.credential_unavailable", 503, Unavailable, InternalError);

    /// <summary>The upstream takes a minted downstream token, which only a task-token caller can have.</summary>
    public static readonly ErrorCode UpstreamNeedsTaskToken = new("upstream.needs_task_token", 403, Forbidden, Refused);

    /// <summary>The upstream could not be reached or failed before answering.</summary>
    public static readonly ErrorCode UpstreamUnavailable = new("upstream.unavailable", 502, BadGateway, InternalError);

    /// <summary>The upstream did not answer in time.</summary>
    public static readonly ErrorCode UpstreamTimeout = new("upstream.timeout", 504, GatewayTimeout, InternalError);

    /// <summary>The upstream's answer broke off after it began (recorded in the outcome).</summary>
    public static readonly ErrorCode UpstreamStreamError = new("upstream.stream_error", 502, BadGateway, InternalError);

    /// <summary>The client went away or broke its side of the exchange while forwarding (recorded in the outcome).</summary>
    public static readonly ErrorCode UpstreamClientAborted = new("upstream.client_aborted", 502, BadGateway, InternalError);
}
