using System.Diagnostics;
using Mandate.Server.Configuration;

namespace Mandate.Server.Tests.Configuration;

/// <summary>
/// Files that used to hide problems or stop the loader: every one ends in a list of problems with lines, never an
/// exception, a stack overflow or a hang. The inputs the fuzzer found are kept in fuzz/crashes/config.
/// </summary>
public sealed class MandateConfigLoaderRobustnessTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mandate-cfg-" + Guid.NewGuid().ToString("N")[..8]);

    public MandateConfigLoaderRobustnessTests() => Directory.CreateDirectory(Path.Combine(_dir, "policies"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ConfigLoadResult Parse(string yaml) => MandateConfigLoader.Parse(yaml, Path.Combine(_dir, "mandate.yaml"));

    [Fact]
    public void Parse_UnknownKeyBesideOtherProblems_ReportsThemAllInFileOrder()
    {
        var result = Parse("""
            dataPlane:
              listen: nowhere
              colour: blue
            controlPlane:
              adminToken: short
            identity: { oidc: [ { issuer: "https://issuer.example", audiences: [mandate] } ] }
            policies:
              directory: missing-folder
            audit: { checkpointEvery: 0 }
            """);

        Assert.Equal(
            [
                (2, "dataPlane.listen"),
                (3, "dataPlane.colour"),
                (5, "controlPlane.adminToken"),
                (8, "policies.directory"),
                (9, "audit.checkpointEvery"),
            ],
            result.Problems.Select(p => (p.Line ?? 0, p.Path)));
        Assert.Contains("unknown key `colour`", result.Problems[1].Message);
    }

    [Fact]
    public void Parse_WrongShapeBesideOtherProblems_ReportsBothWithoutEchoingTheMisfit()
    {
        var result = Parse("""
            controlPlane: [ a, b ]
            identity: { oidc: [ { issuer: "https://issuer.example", audiences: [mandate] } ] }
            policies: { directory: policies }
            upstreams: { api: { url: "ftp://x" } }
            routes:
              - { method: GET, path: /a, action: [read], resource: { type: T, id: x }, upstream: api }
            """);

        var all = string.Join("\n", result.Problems);
        Assert.Contains(result.Problems, p => p.Path == "controlPlane" && p.Line == 1 && p.Message.Contains("expected a mapping"));
        Assert.Contains(result.Problems, p => p.Path == "upstreams.api.url" && p.Line == 4);
        Assert.Contains(result.Problems, p => p.Path == "routes[0].action" && p.Line == 6 && p.Message.Contains("single value"));
        // The misfits were read as absent; "required" about them again would be noise.
        Assert.DoesNotContain(result.Problems, p => p.Path.StartsWith("controlPlane", StringComparison.Ordinal) && p.Line != 1);
        Assert.Equal(3, result.Problems.Count);
        Assert.DoesNotContain("required", all);
    }

    [Fact]
    public void Parse_MisspelledSection_ReportsTheTypoAndTheMissingSection()
    {
        var result = Parse("""
            controlPlane: { adminToken: "0123456789abcdef" }
            identity: { oidc: [ { issuer: "https://issuer.example", audiences: [mandate] } ] }
            polices: { directory: policies }
            """);

        Assert.Contains(result.Problems, p => p.Path == "polices" && p.Line == 3 && p.Message.Contains("unknown key"));
        Assert.Contains(result.Problems, p => p.Path == "policies" && p.Message.Contains("required"));
    }

    [Fact]
    public void Parse_DeepFlowNesting_ProblemInsteadOfStackOverflow()
    {
        var result = Parse("a: " + new string('[', 50_000));

        var problem = Assert.Single(result.Problems);
        Assert.Contains($"nested deeper than {MandateConfigLoader.MaxDepth} levels", problem.Message);
        Assert.Equal(1, problem.Line);
    }

    [Fact]
    public void Parse_AliasesExpandingExponentially_RefusedQuickly()
    {
        var lines = new List<string> { "a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i < 10; i++)
        {
            lines.Add($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]");
        }

        lines.Add("agents: { bot: { attributes: { lol: *a9 } } }");
        var clock = Stopwatch.StartNew();

        var result = Parse(string.Join('\n', lines));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Contains(result.Problems, p => p.Message.Contains($"more than {YamlNodeIndex.MaxNodes} values"));
    }

    [Theory]
    [InlineData("yaml-reader-invalid-operation.yaml", 2)]
    [InlineData("yaml-reader-argument-exception.yaml", 4)]
    public void Parse_TextThatBreaksTheYamlReader_NotValidYamlWithLine(string crash, int line)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryFuzzFolder(), "crashes", "config", crash));

        var problem = Assert.Single(Parse(text).Problems);

        Assert.StartsWith("not valid yaml", problem.Message);
        Assert.Equal(line, problem.Line);
    }

    [Fact]
    public void Parse_AttributeNamedByAMapping_ProblemWithPathAndLine()
    {
        var result = Parse("""
            controlPlane: { adminToken: "0123456789abcdef" }
            identity: { oidc: [ { issuer: "https://issuer.example", audiences: [mandate] } ] }
            policies: { directory: policies }
            agents:
              bot:
                attributes: { n: 1, { x: 1 }: 2, nested: { ? [a, b] : 3 } }
            """);

        // One problem per offending attribute: `{ x: 1 }` and `nested`.
        Assert.Equal(2, result.Problems.Count);
        Assert.All(result.Problems, p => Assert.Equal(("agents.bot.attributes", 6), (p.Path, p.Line)));
        Assert.All(result.Problems, p => Assert.Contains("plain text", p.Message));
    }

    [Fact]
    public void Parse_NulCharacterInPaths_ProblemPerPathInsteadOfAnException()
    {
        var result = Parse("""
            controlPlane: { adminToken: "0123456789abcdef" }
            identity: { oidc: [ { issuer: "https://issuer.example", audiences: [mandate] } ] }
            policies: { directory: "pol\0icies", schema: "a\0b" }
            dataDir: "d\0d"
            """);

        Assert.Equal(
            [(3, "policies.directory"), (3, "policies.schema"), (4, "dataDir")],
            result.Problems.Select(p => (p.Line ?? 0, p.Path)).Order());
        Assert.All(result.Problems, p => Assert.Contains("NUL character", p.Message));
    }

    [Fact]
    public void Parse_RoutePathWithAQuery_ProblemInsteadOfAnException()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryFuzzFolder(), "crashes", "config", "route-path-with-query.yaml"));

        var result = Parse(text);

        Assert.Equal([(6, "routes[0].path"), (7, "routes[1].path")], result.Problems.Select(p => (p.Line ?? 0, p.Path)));
        Assert.All(result.Problems, p => Assert.Contains("a template is a path only", p.Message));
    }

    [Fact]
    public void Parse_KeyAtTheEndWithoutANewline_EveryProblemOnALineOfTheFile()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryFuzzFolder(), "crashes", "config", "key-at-end-without-newline.yaml"));

        var problems = Parse(text).Problems;

        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.True(p.Line is null or 1, $"{p.Path} on line {p.Line}"));
    }

    [Fact]
    public void Parse_AliasInsideItsOwnAnchor_NotValidYamlInsteadOfAStackOverflow()
    {
        var found = File.ReadAllText(Path.Combine(RepositoryFuzzFolder(), "crashes", "config", "recursive-alias.yaml"));
        var plain = """
            x-issuer: &issuer { issuer: "https://login.example.com", audiences: [ *issuer ] }
            controlPlane: { adminToken: "0123456789abcdef-admin" }
            identity: { oidc: [ *issuer ] }
            policies: { directory: policies }
            """;

        foreach (var text in new[] { found, plain })
        {
            var problem = Assert.Single(Parse(text).Problems);
            Assert.StartsWith("not valid yaml", problem.Message);
        }

        Assert.Contains("refers to a node that contains it", Assert.Single(Parse(plain).Problems).Message);
    }

    [Fact]
    public void Parse_IssuerWithWhiteSpace_ProblemInsteadOfAnException()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryFuzzFolder(), "crashes", "config", "issuer-trailing-space.yaml"));

        var problem = Assert.Single(Parse(text).Problems);

        Assert.Equal(("identity.oidc[0].issuer", 2), (problem.Path, problem.Line ?? 0));
        Assert.Contains("white space", problem.Message);
    }

    [Theory]
    [InlineData("https://login.example/ x")]
    [InlineData("https://login.exa mple")]
    [InlineData(" https://login.example")]
    public void Parse_IssuerWithWhiteSpaceAnywhere_IsAProblem(string issuer)
    {
        var result = Parse($$"""
            controlPlane: { adminToken: "0123456789abcdef" }
            identity: { oidc: [ { issuer: "{{issuer}}", audiences: [mandate] } ] }
            policies: { directory: policies }
            """);

        Assert.Contains(result.Problems, p => p.Path == "identity.oidc[0].issuer");
    }

    [Fact]
    public void Parse_UnfinishedAtEndOfFile_LineIsTheLastLine()
    {
        var problem = Assert.Single(Parse("a: 1\npolicies: { directory: p").Problems);

        Assert.StartsWith("not valid yaml", problem.Message);
        Assert.Equal(2, problem.Line);
    }

    private static string RepositoryFuzzFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mandate.slnx")))
            {
                return Path.Combine(dir.FullName, "fuzz");
            }
        }

        throw new InvalidOperationException("the tests run from a checkout");
    }
}
