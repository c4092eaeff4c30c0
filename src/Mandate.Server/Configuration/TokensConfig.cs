namespace Mandate.Server.Configuration;

/// <summary>What the gateway does with a task-token call outside the task the token declared.</summary>
public enum OutOfTaskMode
{
    /// <summary>Denied before policy with <c>session.out_of_task</c> (the default).</summary>
    Deny,

    /// <summary>Left to policy: <c>context.session.in_task</c> is false and a policy decides (e.g. step-up).</summary>
    Policy,
}

/// <summary>Whether task tokens must be bound to a DPoP key.</summary>
public enum DpopMode
{
    /// <summary>Bound tokens need a proof; unbound tokens are accepted as bearer tokens (the default).</summary>
    Optional,

    /// <summary>Every task token must be bound and presented with a proof; the token endpoint requires a proof too.</summary>
    Required,
}

/// <summary><c>tokens.subjectIssuers[i]</c>: an OIDC issuer whose user access tokens may be exchanged.</summary>
/// <param name="Issuer">Exact <c>iss</c> value; discovery at <c>{issuer}/.well-known/openid-configuration</c> unless <paramref name="JwksUrl"/> is set.</param>
/// <param name="Audience">The audience a user token must carry to be exchanged here.</param>
/// <param name="JwksUrl">Optional JWKS URL (discovery is skipped when set).</param>
public sealed record SubjectIssuerConfig(string Issuer, string Audience, Uri? JwksUrl);

/// <summary><c>tokens</c>: Mandate as the issuer of task tokens (optional section).</summary>
/// <param name="Issuer">The task tokens' <c>iss</c>, an absolute http(s) URL (required).</param>
/// <param name="DefaultLifetime">Lifetime when the agent asks for none (default 300 s).</param>
/// <param name="MaxLifetime">Longest lifetime ever issued (default 3600 s).</param>
/// <param name="MaxDepth">Deepest delegation chain (default 4).</param>
/// <param name="Audiences">Audiences a task token may carry to be accepted by this gateway (default: the issuer).</param>
/// <param name="SubjectIssuers">Trusted issuers of user tokens.</param>
/// <param name="OutOfTask">What happens to calls outside the declared task (default deny).</param>
/// <param name="Dpop">Whether task tokens must be DPoP-bound (default optional).</param>
public sealed record TokensConfig(
    string Issuer,
    TimeSpan DefaultLifetime,
    TimeSpan MaxLifetime,
    int MaxDepth,
    IReadOnlyList<string> Audiences,
    IReadOnlyList<SubjectIssuerConfig> SubjectIssuers,
    OutOfTaskMode OutOfTask,
    DpopMode Dpop);

/// <summary><c>upstreams.NAME.credential.mint</c>: a fresh downstream token minted per allowed request.</summary>
/// <param name="Audience">The downstream token's <c>aud</c> (the upstream).</param>
/// <param name="Scopes">Scopes it may carry; the minted token gets the intersection with the caller's scopes.</param>
/// <param name="Lifetime">Its lifetime (short: default 60 s).</param>
public sealed record MintCredentialConfig(string Audience, IReadOnlyList<string> Scopes, TimeSpan Lifetime);
