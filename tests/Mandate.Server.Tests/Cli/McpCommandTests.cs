using Mandate.Cli;
using Mandate.Server.Tests.Mcp.Support;

namespace Mandate.Server.Tests.Cli;

/// <summary><c>mandate mcp schema</c> against a running gateway in front of the SDK server.</summary>
public sealed class McpCommandTests
{
    [Fact]
    public async Task Schema_PrintsToolArgumentTypes_AndPolicyProblemsFail()
    {
        const string typo = """
            @id("typo-limit")
            forbid (principal, action == Mandate::Action::"mcp.tools.call", resource == Mandate::Tool::"tools/transfer")
            when { context.args has amout && context.args.amout > 100 };
            """;
        await using var f = await McpGatewayFixture.StartAsync(extraPolicies: typo);
        var tokenFile = Path.Combine(f.Directory, "admin-token");
        await File.WriteAllTextAsync(tokenFile, McpGatewayFiles.AdminToken);
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(["mcp", "schema", "tools", "--admin-url", f.Gateway.Server.ControlPlaneAddress.ToString(), "--admin-token-file", tokenFile], output, error);

        Assert.Equal(1, code);
        var schema = output.ToString();
        Assert.Contains("type Args_tools__transfer = {\"amount\": Long, \"to\": String};", schema);
        Assert.Contains("type Args_tools__echo = {\"text\": String};", schema);
        Assert.True(Mandate.Cedar.Schema.SchemaParser.Parse(schema).Success);
        Assert.Contains("policy `typo-limit`: `context.args.amout`: `amout` is not an argument (the arguments: amount, to) of tool `transfer`", error.ToString());
    }

    [Fact]
    public async Task Schema_PoliciesFitTheTypes_ExitZero()
    {
        await using var f = await McpGatewayFixture.StartAsync();
        var tokenFile = Path.Combine(f.Directory, "admin-token");
        await File.WriteAllTextAsync(tokenFile, McpGatewayFiles.AdminToken);
        var error = new StringWriter();
        var code = await CliApp.RunAsync(["mcp", "schema", "tools", "--admin-url", f.Gateway.Server.ControlPlaneAddress.ToString(), "--admin-token-file", tokenFile], new StringWriter(), error);
        Assert.True(code == 0, error.ToString());
        var unknown = await CliApp.RunAsync(["mcp", "schema", "nope", "--admin-url", f.Gateway.Server.ControlPlaneAddress.ToString(), "--admin-token-file", tokenFile], new StringWriter(), new StringWriter());
        Assert.Equal(1, unknown);
    }
}
