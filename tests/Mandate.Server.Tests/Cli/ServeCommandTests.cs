using Mandate.Cli;

namespace Mandate.Server.Tests.Cli;

public sealed class ServeCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mandate-cli-" + Guid.NewGuid().ToString("N")[..8]);

    public ServeCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Serve_BrokenConfig_PrintsEveryProblemAndExits2()
    {
        var path = Path.Combine(_dir, "mandate.yaml");
        await File.WriteAllTextAsync(path, """
            dataPlane: { listen: nowhere }
            policies: { directory: missing }
            """);
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await CliApp.RunAsync(["serve", "--config", path], output, error);

        Assert.Equal(2, code);
        var text = error.ToString();
        Assert.Contains("dataPlane.listen", text);
        Assert.Contains("controlPlane: adminToken or adminTokenFile is required", text);
        Assert.Contains("identity: no oidc issuer", text);
        Assert.Contains("policies.directory", text);
        Assert.Contains("line 1", text);
    }

    [Fact]
    public async Task Serve_PolicyThatDoesNotParse_RefusesToStartNamingFileAndLine()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "policies"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "policies", "broken.cedar"), "permit (principal, action, resource);\npermit (principal, action, resource) when { 1 + };\n");
        var path = Path.Combine(_dir, "mandate.yaml");
        await File.WriteAllTextAsync(path, """
            dataPlane: { listen: "127.0.0.1:0" }
            controlPlane: { listen: "127.0.0.1:0", adminToken: "0123456789abcdef" }
            identity: { oidc: [ { issuer: "http://127.0.0.1:9", audiences: [mandate] } ] }
            policies: { directory: policies }
            """);
        var error = new StringWriter();

        var code = await CliApp.RunAsync(["serve", "--config", path], new StringWriter(), error);
        var checkError = new StringWriter();
        var checkCode = await CliApp.RunAsync(["serve", "--config", path, "--check"], new StringWriter(), checkError);

        Assert.Equal(1, code);
        Assert.Contains("broken.cedar:2:", error.ToString());
        Assert.Equal(1, checkCode);
        Assert.Contains("broken.cedar:2:", checkError.ToString());
    }

    [Fact]
    public async Task ServeCheck_ValidConfig_Exits0()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "policies"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "policies", "p.cedar"), "@id(\"all\") permit (principal, action, resource);");
        var path = Path.Combine(_dir, "mandate.yaml");
        await File.WriteAllTextAsync(path, """
            controlPlane: { adminToken: "0123456789abcdef" }
            identity: { oidc: [ { issuer: "https://issuer.example", audiences: [mandate] } ] }
            policies: { directory: policies }
            """);
        var output = new StringWriter();

        var code = await CliApp.RunAsync(["serve", "--config", path, "--check"], output, new StringWriter());

        Assert.Equal(0, code);
        Assert.Contains("configuration is valid", output.ToString());
        Assert.Contains("(1 policies)", output.ToString());
    }
}
