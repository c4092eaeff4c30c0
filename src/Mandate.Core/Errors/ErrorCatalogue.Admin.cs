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
    /// <summary>The token to revoke is not a valid task token.</summary>
    public static readonly ErrorCode AdminTokenUnknown = new("admin.token_unknown", 404, NotFound);
}
