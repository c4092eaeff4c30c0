namespace Mandate.Core.Identity;

/// <summary>Values of <see cref="AgentIdentity.Method"/>.</summary>
public static class AuthenticationMethods
{
    /// <summary>A JWT from a configured OIDC issuer.</summary>
    public const string Oidc = "oidc";
    /// <summary>A SPIFFE JWT-SVID.</summary>
    public const string JwtSvid = "jwt-svid";
    /// <summary>A SPIFFE X.509-SVID presented over mTLS.</summary>
    public const string X509Svid = "x509-svid";
}
