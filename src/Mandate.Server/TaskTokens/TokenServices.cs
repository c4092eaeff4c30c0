using Mandate.Core.Identity;
using Mandate.Core.OAuth;
using Mandate.Core.Tokens;
using Mandate.Server.Configuration;

namespace Mandate.Server.TaskTokens;

/// <summary>
/// Everything the task-token fronts share: the token service (issue, verify, revoke), the DPoP checker, the
/// authenticator for user subject tokens, and the <c>tokens</c> configuration. Built once per process.
/// </summary>
public sealed class TokenServices : IAsyncDisposable
{
    /// <summary>How far a DPoP proof's <c>iat</c> may lie from now.</summary>
    public static readonly TimeSpan DpopWindow = TimeSpan.FromSeconds(60);

    private TokenServices(TokensConfig config, TaskTokenService service, AgentAuthenticator? subjects, DpopProofValidator dpop, TimeProvider time)
    {
        Config = config;
        Service = service;
        Subjects = subjects;
        Dpop = dpop;
        Time = time;
    }

    /// <summary>The <c>tokens</c> section.</summary>
    public TokensConfig Config { get; }

    /// <summary>Issues, verifies and revokes task tokens.</summary>
    public TaskTokenService Service { get; }

    /// <summary>Verifies user tokens of <c>tokens.subjectIssuers</c>; null when none are configured.</summary>
    public AgentAuthenticator? Subjects { get; }

    /// <summary>Checks DPoP proofs (one replay cache per process).</summary>
    public DpopProofValidator Dpop { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>The task token service options for a <c>tokens</c> section.</summary>
    public static TaskTokenOptions Options(TokensConfig config) => new()
    {
        Issuer = config.Issuer,
        DefaultAudiences = config.Audiences,
        DefaultLifetime = config.DefaultLifetime,
        MaxLifetime = config.MaxLifetime,
        MaxDepth = config.MaxDepth,
        // A child asking to outlive its parent is refused, not silently shortened: the agent learns its mistake.
        RefuseLifetimeBeyondParent = true,
    };

    /// <summary>Opens the token service over <paramref name="store"/> and builds the subject authenticator.</summary>
    /// <exception cref="ArgumentException">The subject issuers' options are refused.</exception>
    public static async Task<TokenServices> CreateAsync(TokensConfig config, ITaskTokenStore store, HttpClient httpClient, TimeProvider time, CancellationToken cancellationToken)
    {
        AgentAuthenticator? subjects = null;
        if (config.SubjectIssuers.Count > 0)
        {
            subjects = new AgentAuthenticator(new AgentAuthenticatorOptions
            {
                Issuers = config.SubjectIssuers.Select(s => new OidcIssuerOptions
                {
                    Issuer = s.Issuer,
                    Audiences = [s.Audience],
                    JwksUrl = s.JwksUrl,
                    AgentClaim = "sub",
                    RequireHttps = !IsLoopbackHttp(s.JwksUrl ?? new Uri(s.Issuer)),
                }).ToArray(),
            }, httpClient, time);
            // Warm-up failures are not fatal: user tokens fail closed until the keys arrive.
            await subjects.RefreshKeysAsync(cancellationToken);
        }

        var service = await TaskTokenService.OpenAsync(store, Options(config), time, cancellationToken);
        var dpop = new DpopProofValidator(new DpopReplayCache(DpopWindow * 2, 1_000_000, time), DpopWindow, time);
        return new TokenServices(config, service, subjects, dpop, time);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Subjects?.Dispose();
        await Service.DisposeAsync();
    }

    private static bool IsLoopbackHttp(Uri uri) => uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;
}
