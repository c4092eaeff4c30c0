namespace Mandate.Core.Errors;

// The decision APIs' codes: the AuthZEN endpoints (a malformed request, a type Mandate does not map, a subject the
// caller may not ask about, a search) and the check endpoints Envoy and nginx call (an untrusted peer, missing original
// request facts). A policy's deny through these fronts is `policy.deny`, as everywhere. (A plain comment, not a doc
// comment: docs/errors.md's generator would read a class summary as the first code's meaning.)
public static partial class ErrorCatalogue
{
    /// <summary>An AuthZEN request that is not the JSON Mandate reads: not an object, a missing or mistyped `subject`, `action` or `resource`, bad `options` or `page`.</summary>
    public static readonly ErrorCode AuthZenBadRequest = new("authzen.bad_request", 400, BadRequest);

    /// <summary>An AuthZEN `type` that `decisionApis.authzen.types` does not map to a Cedar entity type.</summary>
    public static readonly ErrorCode AuthZenUnknownType = new("authzen.unknown_type", 400, BadRequest);

    /// <summary>The caller is not a decision API client, or may not ask about this subject (`decisionApis.authzen.clients[].subjects`).</summary>
    public static readonly ErrorCode AuthZenSubjectNotAllowed = new("authzen.subject_not_allowed", 403, Forbidden, Refused);

    /// <summary>More evaluations in one request than `decisionApis.authzen.maxEvaluations`.</summary>
    public static readonly ErrorCode AuthZenTooManyEvaluations = new("authzen.too_many_evaluations", 400, BadRequest);

    /// <summary>A search `page.token` that Mandate did not issue, or that was issued for another query or limit.</summary>
    public static readonly ErrorCode AuthZenBadPageToken = new("authzen.bad_page_token", 400, BadRequest);

    /// <summary>A search answered: the record names the query; each result is what an evaluation of it would allow.</summary>
    public static readonly ErrorCode AuthZenSearch = new("authzen.search", 200, Allowed);

    /// <summary>An AuthZEN endpoint called with a method other than POST (GET for the metadata).</summary>
    public static readonly ErrorCode AuthZenMethodNotAllowed = new("authzen.method_not_allowed", 405, MethodNotAllowed);

    /// <summary>An AuthZEN request that is not `application/json`.</summary>
    public static readonly ErrorCode AuthZenContentType = new("authzen.content_type", 415, UnsupportedMediaType);

    /// <summary>An AuthZEN request body larger than Mandate reads.</summary>
    public static readonly ErrorCode AuthZenTooLarge = new("authzen.too_large", 413, PayloadTooLarge);

    /// <summary>A check endpoint (Envoy ext_authz, nginx auth_request) called from an address its `peers` do not name.</summary>
    public static readonly ErrorCode CheckUntrustedPeer = new("check.untrusted_peer", 403, Forbidden);

    /// <summary>A check without the original request's facts Mandate needs (nginx: `X-Original-Method`, `X-Original-URI`).</summary>
    public static readonly ErrorCode CheckBadOriginal = new("check.bad_original", 400, BadRequest);
}
