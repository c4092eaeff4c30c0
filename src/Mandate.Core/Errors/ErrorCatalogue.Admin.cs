namespace Mandate.Core.Errors;

/// <summary>The control plane's codes.</summary>
public static partial class ErrorCatalogue
{
    /// <summary>The admin API was called without the admin token.</summary>
    public static readonly ErrorCode AdminUnauthenticated = new("admin.unauthenticated", 401, Unauthenticated);
    /// <summary>The admin request's body or parameters are malformed.</summary>
    public static readonly ErrorCode AdminBadRequest = new("admin.bad_request", 400, BadRequest);
    /// <summary>No admin endpoint at this path.</summary>
    public static readonly ErrorCode AdminNotFound = new("admin.not_found", 404, NotFound);
    /// <summary>The admin endpoint does not take this method.</summary>
    public static readonly ErrorCode AdminMethodNotAllowed = new("admin.method_not_allowed", 405, MethodNotAllowed);
    /// <summary>The admin request's body is too large.</summary>
    public static readonly ErrorCode AdminTooLarge = new("admin.too_large", 413, PayloadTooLarge);
    /// <summary>Promotion was asked for, but no candidate folder (<c>policies.shadow</c>) is configured.</summary>
    public static readonly ErrorCode ShadowNone = new("shadow.none", 409, "conflict");
    /// <summary>The promotion could not be recorded or the candidate files could not be written into the live folder; nothing live changed unless the detail says so.</summary>
    public static readonly ErrorCode ShadowPromoteFailed = new("shadow.promote_failed", 503, Unavailable);
    /// <summary>The Prometheus scrape endpoint (<c>/metrics</c>) was called without its scrape token.</summary>
    public static readonly ErrorCode MetricsUnauthenticated = new("metrics.unauthenticated", 401, Unauthenticated);
    /// <summary>The token to revoke is not a valid task token.</summary>
    public static readonly ErrorCode AdminTokenUnknown = new("admin.token_unknown", 404, NotFound);
}
