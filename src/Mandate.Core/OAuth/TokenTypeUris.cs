namespace Mandate.Core.OAuth;

/// <summary>The token type identifiers of RFC 8693 §3 that Mandate understands.</summary>
public static class TokenTypeUris
{
    /// <summary>The grant type of a token exchange request.</summary>
    public const string TokenExchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange";
    /// <summary>An OAuth access token.</summary>
    public const string AccessToken = "urn:ietf:params:oauth:token-type:access_token";
    /// <summary>A JWT.</summary>
    public const string Jwt = "urn:ietf:params:oauth:token-type:jwt";
    /// <summary>An OpenID Connect ID token: proves a login to a client, never authority to act.</summary>
    public const string IdToken = "urn:ietf:params:oauth:token-type:id_token";

    /// <summary>True for a type Mandate accepts as a subject or actor token.</summary>
    public static bool IsKnown(string type) => type is AccessToken or Jwt or IdToken;
}
