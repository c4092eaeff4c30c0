using System.Security.Cryptography.X509Certificates;

namespace Mandate.Server.Flow.Identify;

/// <summary>
/// The identify step's seam: verifies a bearer token or a client certificate. Implemented over
/// <c>Mandate.Core.Identity.AgentAuthenticator</c> (OIDC, SPIFFE JWT-SVID, X.509-SVID).
/// Implementations report failures as values and never throw for bad input.
/// </summary>
public interface ICallerAuthenticator
{
    /// <summary>True when every configured issuer has usable keys (for readiness).</summary>
    bool IsReady { get; }

    /// <summary>Verifies a bearer token (the part after <c>Bearer </c>).</summary>
    ValueTask<IdentifyResult> AuthenticateBearerAsync(ReadOnlyMemory<char> token, CancellationToken cancellationToken);

    /// <summary>Verifies a bearer token (the part after <c>Bearer </c>).</summary>
    ValueTask<IdentifyResult> AuthenticateBearerAsync(string token, CancellationToken cancellationToken) =>
        AuthenticateBearerAsync(token.AsMemory(), cancellationToken);

    /// <summary>Verifies an mTLS client certificate (X.509-SVID).</summary>
    IdentifyResult AuthenticateCertificate(X509Certificate2 leaf, X509Certificate2Collection? chain);
}
