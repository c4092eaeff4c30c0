using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Core.Tokens;
using Mandate.Server.Configuration;
using Mandate.Server.TaskTokens;

namespace Mandate.Server.Flow.Identify;

/// <summary>
/// Accepts task tokens: a token whose <c>iss</c> is Mandate's goes to <see cref="TaskTokenService.Verify"/>
/// (signature, record, revocation, the chain hop by hop), then the audience, the DPoP binding, and the session's
/// owner are checked here. Runs on every request with a task token, so it does no I/O: revocation is an in-memory
/// lookup that a revoke call updates before it returns.
/// </summary>
public sealed class TaskTokenGate
{
    /// <summary>The <see cref="CallerIdentity.Method"/> of a task-token caller.</summary>
    public const string Method = "task-token";

    private readonly TokenServices _tokens;
    private readonly ICallerAuthenticator _agents;

    /// <summary>Creates the gate.</summary>
    public TaskTokenGate(TokenServices tokens, ICallerAuthenticator agents)
    {
        _tokens = tokens;
        _agents = agents;
    }

    /// <summary>The task-token issuer.</summary>
    public string Issuer => _tokens.Config.Issuer;

    /// <summary>
    /// Reads <c>Authorization</c>: null when it holds no task token (another credential, or none), so the caller
    /// goes through the workload authenticator; otherwise the verified caller or the refusal.
    /// </summary>
    public CallerResolution? TryAccept(in PresentedCredentials credentials)
    {
        var values = credentials.Authorization;
        if (values.Count != 1 || values[0] is not { } header)
        {
            return null;
        }

        string scheme;
        if (header.StartsWith("DPoP ", StringComparison.OrdinalIgnoreCase))
        {
            scheme = "DPoP";
        }
        else if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            scheme = "Bearer";
        }
        else
        {
            return null;
        }

        var token = header[(scheme.Length + 1)..];
        if (token.Contains(',') || token.Length > BearerHeader.MaxTokenLength)
        {
            return scheme == "DPoP" ? CallerResolution.Refused(ErrorCatalogue.IdentityMalformedToken, "the DPoP credential is malformed") : null;
        }

        if (UnverifiedClaims.Issuer(token) != Issuer)
        {
            // DPoP is only issued by Mandate; any other token under that scheme is refused, not routed elsewhere.
            return scheme == "DPoP" ? CallerResolution.Refused(ErrorCatalogue.TokenNotTaskToken, "only Mandate task tokens are accepted with the DPoP scheme") : null;
        }

        return Accept(credentials, token, scheme);
    }

    /// <summary>Checks <paramref name="token"/>, presented under <paramref name="scheme"/> (<c>Bearer</c> or <c>DPoP</c>).</summary>
    public CallerResolution Accept(in PresentedCredentials credentials, string token, string scheme)
    {
        var now = _tokens.Time.GetUtcNow();
        var check = _tokens.Service.Verify(token, now);
        if (!check.Ok)
        {
            return CallerResolution.Refused(check.Error!.Code, check.Error.Description);
        }

        var principal = check.Principal!;
        if (!principal.Grant.Audiences.Any(a => _tokens.Config.Audiences.Contains(a, StringComparer.Ordinal)))
        {
            return CallerResolution.Refused(ErrorCatalogue.TokenWrongAudience, "the task token is not for this gateway");
        }

        if (principal.Jkt is { } jkt)
        {
            if (scheme != "DPoP")
            {
                return CallerResolution.Refused(ErrorCatalogue.DpopRequired, "this token is DPoP-bound: present it as `Authorization: DPoP` with a proof");
            }

            var proofs = credentials.Dpop;
            if (proofs.Count != 1)
            {
                return proofs.Count == 0
                    ? CallerResolution.Refused(ErrorCatalogue.DpopRequired, "a DPoP proof is required")
                    : CallerResolution.Refused(ErrorCatalogue.DpopMultipleProofs, "exactly one DPoP proof is allowed");
            }

            var proof = _tokens.Dpop.Validate(proofs[0], credentials.Method, credentials.Url(), token);
            if (!proof.Ok)
            {
                return CallerResolution.Refused(ErrorCatalogue.DpopInvalidProof, proof.Error.Description);
            }

            if (!string.Equals(proof.Thumbprint, jkt, StringComparison.Ordinal))
            {
                return CallerResolution.Refused(ErrorCatalogue.DpopKeyMismatch, "the proof is signed by a key the token is not bound to");
            }
        }
        else if (scheme == "DPoP")
        {
            return CallerResolution.Refused(ErrorCatalogue.DpopUnboundToken, "the token is not DPoP-bound; present it as a bearer token");
        }
        else if (_tokens.Config.Dpop == DpopMode.Required)
        {
            return CallerResolution.Refused(ErrorCatalogue.DpopRequired, "this gateway accepts only DPoP-bound task tokens");
        }

        // The session must still belong to the agent presenting the token.
        if (_tokens.Service.FindSession(principal.SessionId) is not { } session || session.AgentId != principal.AgentId)
        {
            return CallerResolution.Refused(ErrorCatalogue.SessionAgentMismatch, "the token's session does not belong to the agent presenting it");
        }

        // Over mTLS the certificate is the agent: it must be the token's agent.
        if (credentials.ClientCertificate is { } certificate)
        {
            var byCertificate = _agents.AuthenticateCertificate(certificate, null);
            if (byCertificate.Caller is not { } certified || certified.AgentId != principal.AgentId)
            {
                return CallerResolution.Refused(ErrorCatalogue.SessionAgentMismatch, "the client certificate is not the agent the token was issued to");
            }
        }

        return CallerResolution.Verified(new ResolvedCaller(Caller(principal), principal, RootSession(principal)));
    }

    /// <summary>The root session of <paramref name="principal"/>'s delegation tree, walking the stored sessions up.</summary>
    public string RootSession(TaskTokenPrincipal principal)
    {
        var root = principal.SessionId;
        var parent = principal.ParentSessionId;

        // Bounded: a tree is never deeper than the largest maxDepth (16); a missing ancestor ends the walk.
        for (var hops = 0; parent is not null && hops < 32; hops++)
        {
            root = parent;
            parent = _tokens.Service.FindSession(parent)?.ParentId;
        }

        return root;
    }

    /// <summary>Verifies a task token presented as a token exchange's subject (a parent): signature, record, revocation, chain.</summary>
    public CallerResolution VerifyParent(string token)
    {
        var check = _tokens.Service.Verify(token, _tokens.Time.GetUtcNow());
        return check.Ok
            ? CallerResolution.Verified(new ResolvedCaller(Caller(check.Principal!), check.Principal, RootSession(check.Principal!)))
            : CallerResolution.Refused(check.Error!.Code, $"the parent task token is not valid: {check.Error.Description}");
    }

    /// <summary>The caller a verified task token stands for.</summary>
    public CallerIdentity Caller(TaskTokenPrincipal principal) => new(
        principal.AgentId,
        Method,
        Issuer,
        principal.UserId,
        principal.Chain,
        principal.Grant.Scopes,
        principal.ExpiresAt,
        principal.Jti)
    {
        SessionId = principal.SessionId,
    };
}
