using System.Globalization;

namespace Mandate.Core.OAuth;

/// <summary>
/// Reads the form parameters of a token exchange request (RFC 8693 §2.1) into a <see cref="TokenExchangeRequest"/>.
/// Every rule is its own check, in order; the first that fails names the parameter in an <see cref="OAuthError"/>.
/// </summary>
/// <remarks>
/// Rules: the grant type is token exchange; no parameter except <c>resource</c> and <c>audience</c> appears twice
/// (RFC 6749 §3.2, RFC 8693 §2.1); an empty value counts as absent (RFC 6749 §3.1); token types are known URNs, and
/// an ID token is never a subject or an actor (it proves a login to a client, not authority to act); <c>scope</c>
/// holds RFC 6749 §3.3 scope tokens; <c>resource</c> is an absolute URI without a fragment (RFC 8707 §2);
/// <c>authorization_details</c> is strict JSON (RFC 9396, see <see cref="AuthorizationDetailsParser"/>);
/// <c>expires_in</c> (a Mandate extension) is a whole number of seconds ≥ 1. Unknown parameters are ignored, as
/// RFC 6749 §3.1 requires.
/// </remarks>
public static class TokenExchangeRequestParser
{
    /// <summary>Parameters longer than this (bytes) are refused; tokens and task declarations are far shorter.</summary>
    public const int MaxParameterLength = 16 * 1024;

    /// <summary>At most this many <c>resource</c> plus <c>audience</c> values.</summary>
    public const int MaxTargets = 16;

    /// <summary>At most this many scopes.</summary>
    public const int MaxScopes = 64;

    private static readonly HashSet<string> Repeatable = new(StringComparer.Ordinal) { "resource", "audience" };

    // Names Mandate defines may be named in a message; any other name is the caller's text and is never repeated.
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "grant_type", "resource", "audience", "scope", "requested_token_type", "subject_token", "subject_token_type",
        "actor_token", "actor_token_type", "authorization_details", "expires_in", "client_id",
    };

    /// <summary>Parses the decoded form parameters, in the order received.</summary>
    public static TokenExchangeParseResult Parse(IReadOnlyList<KeyValuePair<string, string>> form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var single = new Dictionary<string, string>(StringComparer.Ordinal);
        var resources = new List<string>();
        var audiences = new List<string>();
        foreach (var (name, value) in form)
        {
            if (value.Length > MaxParameterLength)
            {
                return Fail(OAuthErrorCodes.InvalidRequest, Known.Contains(name) ? $"parameter `{name}` is too long" : "a parameter is too long");
            }
            if (Repeatable.Contains(name))
            {
                if (value.Length > 0)
                {
                    (name == "resource" ? resources : audiences).Add(value);
                }
                continue;
            }
            if (single.ContainsKey(name))
            {
                return Fail(OAuthErrorCodes.InvalidRequest, Known.Contains(name) ? $"parameter `{name}` is repeated" : "a parameter is repeated");
            }
            single[name] = value;
        }

        string? Get(string name) => single.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

        var grantType = Get("grant_type");
        if (grantType is null)
        {
            return Fail(OAuthErrorCodes.InvalidRequest, "parameter `grant_type` is required");
        }
        if (grantType != TokenTypeUris.TokenExchangeGrant)
        {
            return Fail(OAuthErrorCodes.UnsupportedGrantType, "only the token exchange grant is supported");
        }

        var subject = Get("subject_token");
        var subjectType = Get("subject_token_type");
        if (TokenPair(subject, subjectType, "subject") is { } subjectError)
        {
            return new TokenExchangeParseResult(null, subjectError);
        }
        var actor = Get("actor_token");
        var actorType = Get("actor_token_type");
        if (TokenPair(actor, actorType, "actor") is { } actorError)
        {
            return new TokenExchangeParseResult(null, actorError);
        }

        var requestedType = Get("requested_token_type");
        if (requestedType is not null && requestedType is not (TokenTypeUris.AccessToken or TokenTypeUris.Jwt))
        {
            return Fail(OAuthErrorCodes.InvalidRequest, "`requested_token_type` must be an access token or a jwt");
        }

        var scopes = new List<string>();
        if (Get("scope") is { } scopeText)
        {
            foreach (var scope in scopeText.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!IsScopeToken(scope))
                {
                    return Fail(OAuthErrorCodes.InvalidScope, "`scope` holds a character a scope cannot have");
                }
                if (!scopes.Contains(scope, StringComparer.Ordinal))
                {
                    scopes.Add(scope);
                }
            }
            if (scopes.Count > MaxScopes)
            {
                return Fail(OAuthErrorCodes.InvalidScope, $"`scope` lists more than {MaxScopes} scopes");
            }
        }

        if (resources.Count + audiences.Count > MaxTargets)
        {
            return Fail(OAuthErrorCodes.InvalidTarget, $"more than {MaxTargets} `resource` and `audience` values");
        }
        foreach (var resource in resources)
        {
            if (!Uri.TryCreate(resource, UriKind.Absolute, out var uri) || resource.Contains('#'))
            {
                return Fail(OAuthErrorCodes.InvalidTarget, "`resource` must be an absolute uri without a fragment");
            }
            _ = uri;
        }

        IReadOnlyList<TaskAuthorizationDetail> details = [];
        if (Get("authorization_details") is { } detailsText)
        {
            var parsed = AuthorizationDetailsParser.Parse(detailsText);
            if (parsed.Error is not null)
            {
                return new TokenExchangeParseResult(null, parsed.Error);
            }
            details = parsed.Details;
        }

        TimeSpan? lifetime = null;
        if (Get("expires_in") is { } expiresIn)
        {
            if (!int.TryParse(expiresIn, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1)
            {
                return Fail(OAuthErrorCodes.InvalidRequest, "`expires_in` must be a whole number of seconds >= 1");
            }
            lifetime = TimeSpan.FromSeconds(seconds);
        }

        return new TokenExchangeParseResult(new TokenExchangeRequest
        {
            SubjectToken = subject,
            SubjectTokenType = subjectType,
            ActorToken = actor,
            ActorTokenType = actorType,
            Scopes = scopes,
            Resources = resources.Distinct(StringComparer.Ordinal).ToArray(),
            Audiences = audiences.Distinct(StringComparer.Ordinal).ToArray(),
            RequestedTokenType = requestedType,
            AuthorizationDetails = details,
            RequestedLifetime = lifetime,
        }, null);
    }

    private static OAuthError? TokenPair(string? token, string? type, string role)
    {
        if (token is null)
        {
            return type is null ? null : new OAuthError(OAuthErrorCodes.InvalidRequest, $"`{role}_token_type` is given without `{role}_token`");
        }
        if (type is null)
        {
            return new OAuthError(OAuthErrorCodes.InvalidRequest, $"`{role}_token_type` is required with `{role}_token`");
        }
        if (!TokenTypeUris.IsKnown(type))
        {
            return new OAuthError(OAuthErrorCodes.InvalidRequest, $"`{role}_token_type` is not a supported token type");
        }
        if (type == TokenTypeUris.IdToken)
        {
            // An ID token tells a client who logged in; it grants nothing, so nobody may act on it.
            return new OAuthError(OAuthErrorCodes.InvalidRequest, $"an id token cannot be the {role} token; present an access token");
        }
        return null;
    }

    // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
    private static bool IsScopeToken(string scope)
    {
        foreach (var c in scope)
        {
            if (!(c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E)))
            {
                return false;
            }
        }
        return scope.Length > 0;
    }

    private static TokenExchangeParseResult Fail(string code, string description) => new(null, new OAuthError(code, description));
}
