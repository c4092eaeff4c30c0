using Mandate.Core.Decisions;
using Mandate.Core.Tokens;
using Mandate.Server.Configuration;
using Mandate.Server.Identify;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace Mandate.Server.Tokens;

/// <summary>
/// Accepts task tokens at the gateway: a token whose <c>iss</c> is Mandate's goes to
/// <see cref="TaskTokenService.Verify"/> (signature, record, revocation, the chain hop by hop), then the audience,
/// the DPoP binding, and the session's owner are checked here. Runs on every request with a task token, so it
/// does no I/O: revocation is an in-memory lookup that a revoke call updates before it returns.
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
    /// goes through the ordinary identify step; otherwise the acceptance or refusal.
    /// </summary>
    public TaskTokenAcceptance? TryAccept(HttpContext context)
    {
        var values = context.Request.Headers.Authorization;
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
            return scheme == "DPoP" ? TaskTokenAcceptance.Refused("identity.malformed_token", "the DPoP credential is malformed") : null;
        }
        if (UnverifiedClaims.Issuer(token) != Issuer)
        {
            // DPoP is only issued by Mandate; any other token under that scheme is refused, not routed elsewhere.
            return scheme == "DPoP" ? TaskTokenAcceptance.Refused("token.not_task_token", "only Mandate task tokens are accepted with the DPoP scheme") : null;
        }
        return Accept(context, token, scheme);
    }

    /// <summary>Checks <paramref name="token"/>, presented under <paramref name="scheme"/> (<c>Bearer</c> or <c>DPoP</c>).</summary>
    public TaskTokenAcceptance Accept(HttpContext context, string token, string scheme)
    {
        var now = _tokens.Time.GetUtcNow();
        var check = _tokens.Service.Verify(token, now);
        if (!check.Ok)
        {
            return TaskTokenAcceptance.Refused(check.Error!.Code, check.Error.Description);
        }
        var principal = check.Principal!;
        if (!principal.Grant.Audiences.Any(a => _tokens.Config.Audiences.Contains(a, StringComparer.Ordinal)))
        {
            return TaskTokenAcceptance.Refused("token.wrong_audience", "the task token is not for this gateway");
        }

        if (principal.Jkt is { } jkt)
        {
            if (scheme != "DPoP")
            {
                return TaskTokenAcceptance.Refused("dpop.required", "this token is DPoP-bound: present it as `Authorization: DPoP` with a proof");
            }
            var proofs = context.Request.Headers["DPoP"];
            if (proofs.Count != 1)
            {
                return TaskTokenAcceptance.Refused("dpop.invalid_proof", proofs.Count == 0 ? "a DPoP proof is required" : "exactly one DPoP proof is allowed", proofs.Count == 0 ? 401 : 400);
            }
            var proof = _tokens.Dpop.Validate(proofs[0], context.Request.Method, RequestUrl(context), token);
            if (!proof.Ok)
            {
                return TaskTokenAcceptance.Refused("dpop.invalid_proof", proof.Error.Description);
            }
            if (!string.Equals(proof.Thumbprint, jkt, StringComparison.Ordinal))
            {
                return TaskTokenAcceptance.Refused("dpop.key_mismatch", "the proof is signed by a key the token is not bound to");
            }
        }
        else if (scheme == "DPoP")
        {
            return TaskTokenAcceptance.Refused("dpop.unbound_token", "the token is not DPoP-bound; present it as a bearer token");
        }
        else if (_tokens.Config.Dpop == DpopMode.Required)
        {
            return TaskTokenAcceptance.Refused("dpop.required", "this gateway accepts only DPoP-bound task tokens");
        }

        // The session must still belong to the agent presenting the token.
        if (_tokens.Service.FindSession(principal.SessionId) is not { } session || session.AgentId != principal.AgentId)
        {
            return TaskTokenAcceptance.Refused("session.agent_mismatch", "the token's session does not belong to the agent presenting it");
        }
        // Over mTLS the certificate is the agent: it must be the token's agent.
        if (context.Connection.ClientCertificate is { } certificate)
        {
            var byCertificate = _agents.AuthenticateCertificate(certificate, null);
            if (byCertificate.Caller is not { } certified || certified.AgentId != principal.AgentId)
            {
                return TaskTokenAcceptance.Refused("session.agent_mismatch", "the client certificate is not the agent the token was issued to");
            }
        }

        var caller = new CallerIdentity(
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
        return TaskTokenAcceptance.Accepted(principal, caller);
    }

    /// <summary>The request URL as the client addressed it (scheme, host, path; no query), for DPoP's <c>htu</c>.</summary>
    public static Uri RequestUrl(HttpContext context)
    {
        var request = context.Request;
        return new Uri(UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path));
    }
}
