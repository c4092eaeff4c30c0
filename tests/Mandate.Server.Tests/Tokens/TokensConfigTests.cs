using Mandate.Server.Configuration;

namespace Mandate.Server.Tests.Tokens;

/// <summary>The <c>tokens</c> section and <c>credential.mint</c> in mandate.yaml.</summary>
public sealed class TokensConfigTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mandate-tokcfg-" + Guid.NewGuid().ToString("N")[..8]);

    public TokensConfigTests() => Directory.CreateDirectory(Path.Combine(_dir, "policies"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ConfigLoadResult Parse(string tokens, string upstreamCredential = "none") => MandateConfigLoader.Parse($$"""
        controlPlane:
          adminToken: 0123456789abcdef0123
        identity:
          oidc:
            - issuer: https://agents.example
              audiences: [mandate]
        policies:
          directory: policies
        upstreams:
          api:
            url: http://127.0.0.1:9/
            credential: {{upstreamCredential}}
        {{tokens}}
        """, Path.Combine(_dir, "mandate.yaml"));

    [Fact]
    public void Parse_NoSection_TokensNull()
    {
        var result = Parse("");
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Null(result.Config!.Tokens);
    }

    [Fact]
    public void Parse_MinimalSection_Defaults()
    {
        var result = Parse("""
            tokens:
              issuer: https://mandate.example
            """);
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        var t = result.Config!.Tokens!;
        Assert.Equal(TimeSpan.FromSeconds(300), t.DefaultLifetime);
        Assert.Equal(TimeSpan.FromSeconds(3600), t.MaxLifetime);
        Assert.Equal(4, t.MaxDepth);
        Assert.Equal(["https://mandate.example"], t.Audiences);
        Assert.Equal(OutOfTaskMode.Deny, t.OutOfTask);
        Assert.Equal(DpopMode.Optional, t.Dpop);
        Assert.Empty(t.SubjectIssuers);
    }

    [Fact]
    public void Parse_FullSection_ReadsEveryKey()
    {
        var result = Parse("""
            tokens:
              issuer: https://mandate.example
              defaultLifetimeSeconds: 60
              maxLifetimeSeconds: 600
              maxDepth: 2
              audiences: [gateway, tickets]
              subjectIssuers:
                - issuer: https://login.example
                  audience: mandate-exchange
              outOfTask: policy
              dpop: required
            """, "{ mint: { audience: tickets-api, scopes: [tickets:read], lifetimeSeconds: 30 } }");
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        var t = result.Config!.Tokens!;
        Assert.Equal(2, t.MaxDepth);
        Assert.Equal(["gateway", "tickets"], t.Audiences);
        Assert.Equal(new SubjectIssuerConfig("https://login.example", "mandate-exchange", null), Assert.Single(t.SubjectIssuers));
        Assert.Equal(OutOfTaskMode.Policy, t.OutOfTask);
        Assert.Equal(DpopMode.Required, t.Dpop);
        var mint = result.Config.Upstreams["api"].Credential!.Mint!;
        Assert.Equal("tickets-api", mint.Audience);
        Assert.Equal(["tickets:read"], mint.Scopes);
        Assert.Equal(TimeSpan.FromSeconds(30), mint.Lifetime);
    }

    [Fact]
    public void Parse_BadSection_ReportsEveryProblem()
    {
        var result = Parse("""
            tokens:
              defaultLifetimeSeconds: 7200
              maxLifetimeSeconds: 3600
              maxDepth: 0
              subjectIssuers:
                - issuer: http://login.example
              outOfTask: maybe
              dpop: sometimes
            """);
        Assert.False(result.Succeeded);
        var paths = result.Problems.Select(p => p.Path).ToHashSet();
        Assert.Contains("tokens.issuer", paths);
        Assert.Contains("tokens.defaultLifetimeSeconds", paths);
        Assert.Contains("tokens.maxDepth", paths);
        Assert.Contains("tokens.subjectIssuers[0].issuer", paths);
        Assert.Contains("tokens.subjectIssuers[0].audience", paths);
        Assert.Contains("tokens.outOfTask", paths);
        Assert.Contains("tokens.dpop", paths);
        Assert.All(result.Problems, p => Assert.NotNull(p.Line));
    }

    [Fact]
    public void Parse_MintWithoutTokensSection_Refused()
    {
        var result = Parse("", "{ mint: { audience: tickets-api } }");
        Assert.False(result.Succeeded);
        Assert.Contains(result.Problems, p => p.Path == "tokens");
    }

    [Fact]
    public void Parse_MintWithoutAudience_Refused()
    {
        var result = Parse("tokens: { issuer: https://mandate.example }", "{ mint: { scopes: [a], color: red } }");
        Assert.False(result.Succeeded);
        Assert.Contains(result.Problems, p => p.Path == "upstreams.api.credential.mint.audience");
        Assert.Contains(result.Problems, p => p.Path == "upstreams.api.credential.mint.color");
    }
}
