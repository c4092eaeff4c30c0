using System.Net;
using Mandate.Cli;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.Tokens;

/// <summary><c>mandate revoke</c> against a running gateway's admin API.</summary>
public sealed class RevokeCommandTests : IClassFixture<TokenGatewayFixture>
{
    private readonly TokenGatewayFixture _gw;

    public RevokeCommandTests(TokenGatewayFixture gw)
    {
        _gw = gw;
        _gw.Upstream.Clear();
    }

    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Revoke_User_NextCallRefused()
    {
        var token = await _gw.TaskTokenAsync(_gw.AgentToken("agent-b"), _gw.UserToken("mallory"), ("scope", "tickets:read"));
        using (var ok = await _gw.CallAsync(HttpMethod.Get, "/tickets/1", token))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        var tokenFile = Path.Combine(_gw.Directory, "admin.token");
        await File.WriteAllTextAsync(tokenFile, GatewayFiles.AdminToken + "\n");

        var (code, output, error) = await RunAsync("revoke", "--user", "mallory", "--admin-url", _gw.Gateway.Server.ControlPlaneAddress.ToString(), "--admin-token-file", tokenFile);
        Assert.True(code == 0, error);
        Assert.Contains("revoked user mallory: 1 live token", output);

        _gw.Upstream.Clear();
        using var refused = await _gw.CallAsync(HttpMethod.Get, "/tickets/1", token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Revoke_TwoTargets_BadArguments()
    {
        var (code, _, error) = await RunAsync("revoke", "--user", "a", "--agent", "b", "--admin-url", "http://127.0.0.1:1", "--admin-token-file", "/nonexistent");
        Assert.Equal(2, code);
        Assert.Contains("exactly one", error);
    }

    [Fact]
    public async Task Revoke_WrongAdminToken_Refused()
    {
        var tokenFile = Path.Combine(_gw.Directory, "wrong.token");
        await File.WriteAllTextAsync(tokenFile, "not-the-admin-token-at-all");
        var (code, _, error) = await RunAsync("revoke", "--agent", "agent-x", "--admin-url", _gw.Gateway.Server.ControlPlaneAddress.ToString(), "--admin-token-file", tokenFile);
        Assert.Equal(1, code);
        Assert.Contains("401", error);
    }
}
