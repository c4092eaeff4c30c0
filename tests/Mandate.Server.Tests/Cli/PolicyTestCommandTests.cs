using System.Diagnostics;
using Mandate.Cli;

namespace Mandate.Server.Tests.Cli;

/// <summary>
/// <c>mandate policy test</c> as a CI job runs it: the demo's and the examples' own test files through a real process,
/// and failure output, bad files, candidate policy sets and configurations in-process with captured streams.
/// </summary>
public sealed class PolicyTestCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mandate-policy-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RealProcess_DemoAndExampleTests_AllPassAndExitZero()
    {
        var root = RepositoryRoot();
        var files = Directory.GetFiles(Path.Combine(root, "demo", "tests"), "*.test.yaml").Concat(Directory.GetFiles(Path.Combine(root, "examples", "tests"), "*.test.yaml"));
        var cases = files.Sum(f => File.ReadLines(f).Count(l => l.StartsWith("  - name:", StringComparison.Ordinal)));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "mandate.dll"), "policy", "test", "demo/tests", "examples/tests" })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, stdout + stderr);
        Assert.True(cases >= 10, $"only {cases} cases");
        Assert.Equal($"{cases} passed, 0 failed\n", stdout.ReplaceLineEndings("\n"));
        Assert.Equal("", stderr);
    }

    [Fact]
    public async Task FailingTest_ShowsExpectedAndGotWithReasons_ExitsOne()
    {
        var file = Write("pay.test.yaml", """
            policies: policies
            tests:
              - name: within the limit
                agent: bot
                action: pay
                resource: 'Api::"ledger"'
                context: { args: { amount: 10 } }
                expect: allow
              - name: a big payment is expected to pass but is forbidden
                agent: bot
                action: pay
                resource: 'Api::"ledger"'
                context: { args: { amount: 500 } }
                expect: allow
                policies: [ pay ]
            """);
        WritePolicies("policies", """
            @id("pay") permit (principal, action == Mandate::Action::"pay", resource);
            @id("limit") @reason("at most 100") forbid (principal, action, resource) when { context.args.amount > 100 };
            """);

        var (code, output, error) = await Run("policy", "test", file);

        Assert.Equal(1, code);
        Assert.Equal("", error);
        Assert.Equal(
            $"""
            FAIL {file} tests[1]: a big payment is expected to pass but is forbidden
              request:  agent bot, Mandate::Action::"pay", Mandate::Api::"ledger"
              expected: allow by [pay]
              got:      deny by [limit]
              reason:   limit: at most 100
            1 passed, 1 failed

            """,
            output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task CandidatePolicies_ReplaceWhatTheFileNames_AndFlipTheTest()
    {
        var file = Write("read.test.yaml", """
            policies: live
            tests:
              - { name: bot reads, agent: bot, action: read, resource: 'Doc::"a"', expect: allow, policies: [ reads ] }
            """);
        WritePolicies("live", """@id("reads") permit (principal, action == Mandate::Action::"read", resource);""");
        WritePolicies("candidate", """
            @id("reads") permit (principal, action == Mandate::Action::"read", resource);
            @id("no-docs") forbid (principal, action, resource is Mandate::Doc);
            """);

        var live = await Run("policy", "test", file);
        var candidate = await Run("policy", "test", file, "--policies", Path.Combine(_dir, "candidate"));

        Assert.Equal((0, "1 passed, 0 failed\n"), (live.Code, live.Out.ReplaceLineEndings("\n")));
        Assert.Equal(1, candidate.Code);
        Assert.Contains("got:      deny by [no-docs]", candidate.Out);
    }

    [Fact]
    public async Task Config_GivesPoliciesNamespaceAndAgents()
    {
        WritePolicies("policies", """@id("group-reads") permit (principal in Acme::Group::"readers", action == Acme::Action::"read", resource);""");
        var config = Write("mandate.yaml", """
            controlPlane: { adminToken: "0123456789abcdef-admin" }
            identity: { oidc: [ { issuer: "https://login.example", audiences: [ mandate ] } ] }
            policies: { directory: policies, namespace: Acme }
            agents:
              reader-bot: { parents: [ { type: Group, id: readers } ] }
            """);
        var file = Write("agents.test.json", """
            { "tests": [
              { "name": "a configured reader", "agent": "reader-bot", "action": "read", "resource": "Doc::\"a\"", "expect": "allow" },
              { "name": "someone else", "agent": "other-bot", "action": "read", "resource": "Doc::\"a\"", "expect": "deny", "policies": [] }
            ] }
            """);

        var (code, output, error) = await Run("policy", "test", file, "--config", config, "--verbose");

        Assert.True(code == 0, output + error);
        Assert.Contains("PASS " + file + " tests[0]: a configured reader", output);
        Assert.EndsWith("2 passed, 0 failed\n", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task BadFile_EveryProblemWithItsPlace_ExitsTwo_AndOtherFilesStillRun()
    {
        WritePolicies("policies", """@id("all") permit (principal, action, resource);""");
        var bad = Write("bad.test.yaml", """
            policies: policies
            tests:
              - name: typos
                agnt: x
                action: 5
                resource: 'Ticket::7'
                expect: maybe
                context: { token: { scope: [] }, session: { calls: "3" } }
            """);
        Write("good.test.yaml", """
            policies: policies
            tests:
              - { agent: a, action: read, resource: 'Doc::"d"', expect: allow }
            """);

        var (code, output, error) = await Run("policy", "test", _dir);

        Assert.Equal(2, code);
        Assert.Equal("1 passed, 1 failed\n", output.ReplaceLineEndings("\n"));
        var lines = error.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Equal(
            [
                $"error: {bad}: tests[0] (typos): unknown key `agnt` (known: name, principal, agent, action, resource, context, expect, policies)",
                $"error: {bad}: tests[0] (typos): `agent` or `principal` is required",
                $"error: {bad}: tests[0] (typos).action: an action id (`read`) or uid (`Ns::Action::\"read\"`)",
                $"error: {bad}: tests[0] (typos).resource: `Ticket::7` is not an entity uid like `Ticket::\"7\"`",
                $"error: {bad}: tests[0] (typos).expect: `maybe` is neither `allow` nor `deny`",
                $"error: {bad}: tests[0] (typos).context.token: unknown member `scope` (known: scopes, method, seconds_left)",
                $"error: {bad}: tests[0] (typos).context.session.calls: a whole number",
            ],
            lines);
    }

    [Theory]
    [InlineData("dup.test.yaml", "tests: []\ntests: []\n", "Duplicate key tests")]
    [InlineData("dup.test.json", """{"tests": [], "tests": []}""", "not valid json")]
    [InlineData("deep.test.yaml", "tests: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n", "nested deeper than 64 levels")]
    [InlineData("none.test.yaml", "tests: []\n", "`tests` must be a non-empty list")]
    public async Task UnreadableFile_IsAProblem_NeverAnException(string name, string text, string problem)
    {
        var file = Write(name, text);

        var (code, output, error) = await Run("policy", "test", file);

        Assert.Equal(2, code);
        Assert.Equal("0 passed, 1 failed\n", output.ReplaceLineEndings("\n"));
        Assert.Contains(problem, error);
    }

    [Fact]
    public async Task PoliciesThatDoNotCompile_FileNotRun_WithTheCompilerProblem()
    {
        WritePolicies("policies", "permit (principal, action, resource) when { nope };");
        var file = Write("p.test.yaml", "policies: policies\ntests:\n  - { agent: a, action: read, resource: 'Doc::\"d\"', expect: allow }\n");

        var (code, output, error) = await Run("policy", "test", file);

        Assert.Equal(2, code);
        Assert.Equal("0 passed, 1 failed\n", output.ReplaceLineEndings("\n"));
        Assert.Contains("nope", error);
        Assert.Contains($"{file}: not run, its policies did not compile", error);
    }

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private void WritePolicies(string folder, string text)
    {
        Directory.CreateDirectory(Path.Combine(_dir, folder));
        File.WriteAllText(Path.Combine(_dir, folder, "policies.cedar"), text);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mandate.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the tests run from a checkout");
    }
}
