namespace Mandate.Server.Tests.Mcp.Support;

/// <summary>The deployment the MCP tests run: Mandate in front of one MCP server named <c>tools</c>.</summary>
public static class McpGatewayFiles
{
    /// <summary>The admin token.</summary>
    public const string AdminToken = "mcp-test-admin-token-0123456789";

    /// <summary>An origin the endpoint allows.</summary>
    public const string AllowedOrigin = "https://console.example";

    /// <summary>The configuration.</summary>
    public static string Config(string issuer, string upstreamYaml, string pinning, string extraServerYaml = "", string extraRootYaml = "") => $$"""
        dataPlane:
          listen: 127.0.0.1:0
        controlPlane:
          listen: 127.0.0.1:0
          adminToken: {{AdminToken}}
        dataDir: data
        identity:
          oidc:
            - issuer: {{issuer}}
              audiences: [mandate]
        policies:
          directory: policies
        agents:
          trusted-bot: {}
          reader-bot: {}
          doc-bot: {}
        mcp:
          maxRequestBytes: 262144
          servers:
            tools:
              {{upstreamYaml}}
              pinning: {{pinning}}
              allowedOrigins: [ "{{AllowedOrigin}}" ]
              {{extraServerYaml}}
        {{extraRootYaml}}
        """;

    /// <summary>The policies: echo for everyone, transfers up to 100 and never offshore, delete_all for trusted-bot only.</summary>
    public const string Policies = """
        @id("mcp-lists")
        permit (principal, action in [Mandate::Action::"mcp.tools.list", Mandate::Action::"mcp.prompts.list", Mandate::Action::"mcp.resources.list"], resource == Mandate::McpServer::"tools");

        @id("echo-for-all")
        permit (principal, action == Mandate::Action::"mcp.tools.call", resource == Mandate::Tool::"tools/echo");

        @id("transfer")
        permit (principal, action == Mandate::Action::"mcp.tools.call", resource == Mandate::Tool::"tools/transfer");

        @id("transfer-limit")
        @reason("transfers above 100 need a human approval")
        forbid (principal, action == Mandate::Action::"mcp.tools.call", resource == Mandate::Tool::"tools/transfer")
        when { context.args.amount > 100 };

        @id("delete-trusted-only")
        permit (principal == Mandate::Agent::"trusted-bot", action == Mandate::Action::"mcp.tools.call", resource == Mandate::Tool::"tools/delete_all");

        @id("any-tool-named-like-echo")
        permit (principal, action == Mandate::Action::"mcp.tools.call", resource in Mandate::McpServer::"tools")
        when { resource has name && resource.name like "ec*" };

        @id("doc-bot-reads-docs-only")
        permit (principal == Mandate::Agent::"doc-bot", action == Mandate::Action::"mcp.tools.call", resource == Mandate::Tool::"tools/read_doc");

        @id("doc-bot-nothing-else")
        forbid (principal == Mandate::Agent::"doc-bot", action == Mandate::Action::"mcp.tools.call", resource)
        unless { resource == Mandate::Tool::"tools/read_doc" };

        @id("greeting-prompt")
        permit (principal, action == Mandate::Action::"mcp.prompts.get", resource == Mandate::Prompt::"tools/greeting");
        """;
}
