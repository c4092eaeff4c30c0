using Mandate.Server.Configuration;

namespace Mandate.Server.Tests.Mcp;

public sealed class McpConfigTests : IDisposable
{
    private const string Base = """
        controlPlane:
          adminToken: 0123456789abcdef0123
        identity:
          oidc:
            - issuer: https://issuer.example.com
              audiences: [mandate]
        policies:
          directory: policies

        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mandate-mcpcfg-" + Guid.NewGuid().ToString("N")[..8]);

    public McpConfigTests() => Directory.CreateDirectory(Path.Combine(_dir, "policies"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ConfigLoadResult Parse(string mcp) => MandateConfigLoader.Parse(Base + mcp, Path.Combine(_dir, "mandate.yaml"));

    [Fact]
    public void Parse_ValidServers_DefaultsApplied()
    {
        var result = Parse("""
            mcp:
              servers:
                tools:
                  url: http://127.0.0.1:9100/mcp
                files:
                  command: [ node, server.js ]
                  path: /agents/files
                  pinning: hide
                  allowedOrigins: [ "https://app.example", "http://localhost:3000" ]
                billing:
                  url: https://billing.example/mcp
                  credential: { vault: billing-key }
                  pinning: off
                  timeoutSeconds: 5
            """);
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        var mcp = result.Config!.Mcp;
        Assert.Equal(McpConfig.DefaultMaxRequestBytes, mcp.MaxRequestBytes);
        var tools = mcp.Servers["tools"];
        Assert.Equal("/mcp/tools", tools.Path);
        Assert.Equal(McpPinningMode.Deny, tools.Pinning);
        Assert.Null(tools.Credential);
        Assert.Empty(tools.AllowedOrigins);
        var files = mcp.Servers["files"];
        Assert.Null(files.Url);
        Assert.Equal(["node", "server.js"], files.Command);
        Assert.Equal("/agents/files", files.Path);
        Assert.Equal(McpPinningMode.Hide, files.Pinning);
        Assert.Equal(2, files.AllowedOrigins.Count);
        var billing = mcp.Servers["billing"];
        Assert.Equal("billing-key", billing.Credential!.VaultName);
        Assert.Equal("Authorization", billing.Credential.Header);
        Assert.Equal(McpPinningMode.Off, billing.Pinning);
        Assert.Equal(TimeSpan.FromSeconds(5), billing.Timeout);
        Assert.Same(files, mcp.ServerAt("/agents/files"));
    }

    [Fact]
    public void Parse_StdioCommandAsRelativePath_ResolvedAgainstTheConfigFolderAndStartedThere()
    {
        var result = Parse("""
            mcp:
              servers:
                local: { command: [ ./tools/server, --data, data.json ] }
                onpath: { command: [ node, server.js ] }
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        var local = result.Config!.Mcp.Servers["local"];
        Assert.Equal([Path.Combine(_dir, "tools", "server"), "--data", "data.json"], local.Command);
        Assert.Equal(_dir, local.WorkingDirectory);
        Assert.Equal("node", result.Config.Mcp.Servers["onpath"].Command[0]);
    }

    [Fact]
    public async Task Launch_StdioServer_RunsInTheConfigFolderWhateverTheCurrentOne()
    {
        var result = Parse("""
            mcp:
              servers:
                local: { command: [ sh, -c, "pwd > started-in.txt" ] }
            """);
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));

        await using (Mandate.Server.Fronts.Mcp.StdioMcpSession.Launch(result.Config!.Mcp.Servers["local"]))
        {
            var written = Path.Combine(_dir, "started-in.txt");
            for (var i = 0; i < 100 && !(File.Exists(written) && new FileInfo(written).Length > 0); i++)
            {
                await Task.Delay(50);
            }

            Assert.Equal(_dir, (await File.ReadAllTextAsync(written)).Trim());
        }
    }

    [Fact]
    public void Parse_NoMcpSection_Empty()
    {
        var result = Parse("");
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Empty(result.Config!.Mcp.Servers);
    }

    [Fact]
    public void Parse_EveryProblem_ReportedWithPathAndLine()
    {
        var result = Parse("""
            mcp:
              maxRequestBytes: lots
              publicBaseUrl: https://gw.example/some/path
              servers:
                Bad_Name:
                  url: http://127.0.0.1:1/mcp
                both:
                  url: http://127.0.0.1:1/mcp
                  command: [ x ]
                neither:
                  path: /mcp/neither
                badpath:
                  url: ftp://x
                  path: /mcp//x
                reserved:
                  url: http://127.0.0.1:1/mcp
                  path: /healthz
                dup:
                  url: http://127.0.0.1:1/mcp
                  path: /mcp/neither
                stdiocred:
                  command: [ x ]
                  credential: { vault: k }
                badpin:
                  url: http://127.0.0.1:1/mcp
                  pinning: sometimes
                  allowedOrigins: [ "https://ok.example/path", "*" ]
                  timeoutSeconds: 0
                typo:
                  url: http://127.0.0.1:1/mcp
                  pining: deny
            """);
        Assert.False(result.Succeeded);
        var all = string.Join("\n", result.Problems);
        void Has(string path, int line, string fragment) =>
            Assert.True(result.Problems.Any(p => p.Path == path && p.Line == line && p.Message.Contains(fragment, StringComparison.Ordinal)), $"missing {path} (line {line}) in:\n{all}");

        // Shape problems (unknown keys) are reported first, alone: the typo is found before anything else.
        Has("mcp.servers.typo.pining", 39, "unknown key `pining`");

        var shapeFixed = Parse("""
            mcp:
              maxRequestBytes: lots
              publicBaseUrl: https://gw.example/some/path
              servers:
                Bad_Name:
                  url: http://127.0.0.1:1/mcp
                both:
                  url: http://127.0.0.1:1/mcp
                  command: [ x ]
                neither:
                  path: /mcp/neither
                badpath:
                  url: ftp://x
                  path: /mcp//x
                reserved:
                  url: http://127.0.0.1:1/mcp
                  path: /healthz
                dup:
                  url: http://127.0.0.1:1/mcp
                  path: /mcp/neither
                stdiocred:
                  command: [ x ]
                  credential: { vault: k }
                badpin:
                  url: http://127.0.0.1:1/mcp
                  pinning: sometimes
                  allowedOrigins: [ "https://ok.example/path", "*" ]
                  timeoutSeconds: 0
            """);
        all = string.Join("\n", shapeFixed.Problems);
        void Has2(string path, int line, string fragment) =>
            Assert.True(shapeFixed.Problems.Any(p => p.Path == path && p.Line == line && p.Message.Contains(fragment, StringComparison.Ordinal)), $"missing {path} (line {line}) in:\n{all}");

        Has2("mcp.maxRequestBytes", 10, "not a whole number");
        Has2("mcp.publicBaseUrl", 11, "without a path");
        Has2("mcp.servers.Bad_Name", 14, "not a server name");
        Has2("mcp.servers.both", 16, "not both");
        Has2("mcp.servers.neither", 19, "url");
        Has2("mcp.servers.badpath.url", 21, "not an absolute http(s) url");
        Has2("mcp.servers.badpath.path", 22, "not a canonical path");
        Has2("mcp.servers.reserved.path", 25, "reserved");
        Has2("mcp.servers.dup.path", 28, "already the path of mcp server `neither`");
        Has2("mcp.servers.stdiocred.credential", 31, "only an http server");
        Has2("mcp.servers.badpin.pinning", 34, "not one of deny, hide, off");
        Has2("mcp.servers.badpin.allowedOrigins[0]", 35, "not an origin");
        Has2("mcp.servers.badpin.allowedOrigins[1]", 35, "not an origin");
        Has2("mcp.servers.badpin.timeoutSeconds", 36, "not a whole number");
    }
}
