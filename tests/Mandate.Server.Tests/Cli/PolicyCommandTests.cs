using System.Diagnostics;
using System.Text.Json;
using Mandate.Cli;

namespace Mandate.Server.Tests.Cli;

/// <summary>
/// <c>mandate policy …</c> as a user runs it: in-process through <see cref="CliApp"/> with captured
/// streams, against the shared Cedar conformance files, and once as a real process.
/// </summary>
public sealed class PolicyCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mandate-policy-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string CedarDir
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("MANDATE_CONFORMANCE_DIR");
            if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(fromEnv)) return Path.Combine(fromEnv, "cedar");
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "conformance");
                if (Directory.Exists(candidate)) return Path.Combine(candidate, "cedar");
            }
            return "/work/shared/conformance/cedar";
        }
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

    [Fact]
    public async Task Check_ValidFile_PrintsCountsAndExitsZero()
    {
        var (code, output, _) = await Run("policy", "check", "--policies", Path.Combine(CedarDir, "tests", "multi", "policies_5.cedar"));
        Assert.Equal(0, code);
        Assert.Equal("ok: 3 policies, 0 templates", output.Trim());
    }

    [Fact]
    public async Task Check_BadFile_PrintsEveryErrorWithLocationAndExitsTwo()
    {
        var path = Write("bad.cedar", "permit(principal, action, resource)\nwhen { user.x == 1 };\nforbid(principal, action, resource) when { 1 = 2 };\n");
        var (code, output, error) = await Run("policy", "check", "--policies", path);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"{path}:2:8: error[unknown-variable]: unknown variable `user`", lines[0]);
        Assert.Equal(" 2 | when { user.x == 1 };", lines[1]);
        Assert.Equal("   |        ^^^^", lines[2]);
        Assert.StartsWith($"{path}:3:46: error[invalid-character]: unexpected character `=`", lines[3]);
    }

    [Fact]
    public async Task Check_Folder_ReadsEveryCedarFile()
    {
        Write("a.cedar", "@id(\"a\") permit(principal, action, resource);");
        Write("b.cedar", "@id(\"b\") permit(principal == ?principal, action, resource);");
        var (code, output, _) = await Run("policy", "check", "--policies", _dir, "--policy-ids", "annotation");
        Assert.Equal(0, code);
        Assert.Equal("ok: 1 policy, 1 template", output.Trim());
    }

    [Fact]
    public async Task Check_MissingFile_ExitsTwo()
    {
        var (code, _, error) = await Run("policy", "check", "--policies", Path.Combine(_dir, "nope.cedar"));
        Assert.Equal(2, code);
        Assert.Contains("cannot read", error);
    }

    [Fact]
    public async Task Format_File_PrintsCanonicalTextKeepingComments()
    {
        var path = Write("p.cedar", "// who may read\n@id(\"r\")   permit(principal==User::\"a\",action,resource) when {((1+2)*3)==9 && context.ok};\n");
        var (code, output, _) = await Run("policy", "format", "--policies", path);
        Assert.Equal(0, code);
        const string expected = """
            // who may read
            @id("r")
            permit (
              principal == User::"a",
              action,
              resource
            )
            when { (1 + 2) * 3 == 9 && context.ok };

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), output);

        Assert.Equal(1, (await Run("policy", "format", "--policies", path, "--check")).Code);
        Assert.Equal(0, (await Run("policy", "format", "--policies", path, "--write")).Code);
        Assert.Equal(expected.ReplaceLineEndings("\n"), File.ReadAllText(path));
        Assert.Equal(0, (await Run("policy", "format", "--policies", path, "--check")).Code);
    }

    public static TheoryData<string> ConformanceTests()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(CedarDir, "tests"), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(CedarDir, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ConformanceTests))]
    public async Task Authorize_ConformanceTest_MatchesExpectedDecisionReasonsAndErrors(string testFile)
    {
        using var test = JsonDocument.Parse(File.ReadAllText(Path.Combine(CedarDir, testFile)));
        var root = test.RootElement;
        var policies = Path.Combine(CedarDir, root.GetProperty("policies").GetString()!);
        var entities = Path.Combine(CedarDir, root.GetProperty("entities").GetString()!);
        var schema = Path.Combine(CedarDir, root.GetProperty("schema").GetString()!);
        var index = 0;
        foreach (var request in root.GetProperty("requests").EnumerateArray())
        {
            var requestPath = Write($"request{index++}.json", request.GetRawText());
            var (code, output, error) = await Run("policy", "authorize", "--policies", policies, "--entities", entities,
                "--schema", schema, "--request-json", requestPath, "--json");
            Assert.True(code == 0, error);
            using var answer = JsonDocument.Parse(output);
            var description = request.GetProperty("description").GetString();
            Assert.True(request.GetProperty("decision").GetString()!.ToLowerInvariant() == answer.RootElement.GetProperty("decision").GetString(),
                $"{description}: {output}");
            Assert.Equal(Ids(request.GetProperty("reason")), Ids(answer.RootElement.GetProperty("reasons")));
            Assert.Equal(Ids(request.GetProperty("errors")),
                answer.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("policy").GetString()!).Order().ToArray());
        }
    }

    private static string[] Ids(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).Order().ToArray();

    [Fact]
    public async Task Authorize_TextOutput_PrintsDecisionThenReasons()
    {
        var request = Write("req.json",
            """{"principal": {"type": "User", "id": "alice"}, "action": {"type": "Action", "id": "view"}, "resource": {"type": "Photo", "id": "VacationPhoto94.jpg"}, "context": {"source_ip": {"__extn": {"fn": "ip", "arg": "222.222.222.222"}}, "confidence_score": "0.6", "authenticated": true}}""");
        var (code, output, _) = await Run("policy", "authorize", "--policies", Path.Combine(CedarDir, "tests", "ip", "policies_1.cedar"),
            "--entities", Path.Combine(CedarDir, "sample-data", "sandbox_a", "entities.json"), "--request-json", request);
        Assert.Equal(0, code);
        Assert.Equal("ALLOW\nreason: policy0\n", output);
    }

    [Fact]
    public async Task Authorize_MalformedEntities_ExitsTwoWithErrorOnStderr()
    {
        var entities = Write("entities.json", "[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {}, \"parents\": [], \"attrs\": {}}]");
        var request = Write("req.json", """{"principal": {"type": "User", "id": "a"}, "action": {"type": "Action", "id": "v"}, "resource": {"type": "R", "id": "r"}, "context": {}}""");
        var policies = Write("p.cedar", "permit(principal, action, resource);");
        var (code, output, error) = await Run("policy", "authorize", "--policies", policies, "--entities", entities, "--request-json", request);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith($"{entities}: error[", error);
    }

    [Fact]
    public async Task Authorize_RealProcess_PrintsDenyAndExitsZero()
    {
        var policies = Write("p.cedar", "forbid(principal, action, resource) when { context.blocked };\npermit(principal, action, resource);");
        var entities = Write("entities.json", "[]");
        var request = Write("req.json", """{"principal": {"type": "User", "id": "a"}, "action": {"type": "Action", "id": "v"}, "resource": {"type": "R", "id": "r"}, "context": {"blocked": true}}""");
        var mandate = Path.Combine(AppContext.BaseDirectory, "mandate.dll");
        Assert.True(File.Exists(mandate), $"{mandate} is not beside the tests");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { mandate, "policy", "authorize", "--policies", policies, "--entities", entities, "--request-json", request })
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, stderr);
        Assert.Equal("DENY\nreason: policy0\n", stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Validate_ConformingPolicies_PassesAndExitsZero()
    {
        var (code, output, error) = await Run("policy", "validate", "--schema", Path.Combine(CedarDir, "sample-data", "sandbox_b", "schema.cedarschema"),
            "--policies", Path.Combine(CedarDir, "tests", "example_use_cases", "policies_4f.cedar"));
        Assert.True(code == 0, error);
        Assert.Equal("validation passed: 1 policy, 0 templates", output.Trim());
    }

    [Fact]
    public async Task Validate_TypeError_ReportsLocatedErrorAndExitsOne()
    {
        var schema = Write("s.cedarschema", "entity User { age: Long };\naction view appliesTo { principal: [User], resource: [User] };\n");
        var policies = Write("p.cedar", "permit(principal, action == Action::\"view\", resource)\nwhen { principal.age == \"old\" };\n");
        var (code, output, error) = await Run("policy", "validate", "--schema", schema, "--policies", policies);
        Assert.Equal(1, code);
        Assert.Equal("validation failed: 1 error", output.Trim());
        Assert.StartsWith($"{policies}:2:8: error[", error);
        Assert.Contains("policy `policy0`", error);
    }

    [Fact]
    public async Task Validate_UnparsableSchema_ExitsTwo()
    {
        var schema = Write("s.cedarschema", "entity User {");
        var policies = Write("p.cedar", "permit(principal, action, resource);");
        var (code, _, error) = await Run("policy", "validate", "--schema", schema, "--policies", policies);
        Assert.Equal(2, code);
        Assert.NotEqual("", error);
    }
}
