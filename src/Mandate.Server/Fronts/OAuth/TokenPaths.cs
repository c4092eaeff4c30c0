namespace Mandate.Server.Fronts.OAuth;

/// <summary>The data-plane paths of the token fronts (answered before the gateway pipeline).</summary>
public static class TokenPaths
{
    /// <summary>RFC 8693 token exchange.</summary>
    public const string Token = "/oauth2/token";
    /// <summary>RFC 7662 introspection.</summary>
    public const string Introspect = "/oauth2/introspect";
    /// <summary>RFC 7009 revocation.</summary>
    public const string Revoke = "/oauth2/revoke";
    /// <summary>Ends the caller's task session.</summary>
    public const string EndSession = "/oauth2/session/end";
    /// <summary>The task tokens' public keys.</summary>
    public const string Jwks = "/.well-known/jwks.json";
    /// <summary>RFC 8414 metadata.</summary>
    public const string Metadata = "/.well-known/oauth-authorization-server";
}
