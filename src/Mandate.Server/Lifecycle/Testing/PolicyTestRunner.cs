using Mandate.Core.Decisions;
using Mandate.Server.Configuration;
using Mandate.Server.Snapshots;

namespace Mandate.Server.Lifecycle.Testing;

/// <summary>The answer one test got.</summary>
/// <param name="Case">The test.</param>
/// <param name="Decision">What the policies decided.</param>
/// <param name="Passed">Whether the decision (and, when the test names them, the determining policies) matched.</param>
public sealed record PolicyTestResult(PolicyTestCase Case, GatewayDecision Decision, bool Passed);

/// <summary>What a run found: every case's result, the problems that kept files from running, and how many files did not run.</summary>
public sealed record PolicyTestReport(IReadOnlyList<PolicyTestResult> Results, IReadOnlyList<string> Problems, int FilesNotRun)
{
    /// <summary>Tests that got what they expected.</summary>
    public int Passed => Results.Count(r => r.Passed);

    /// <summary>Tests that did not, plus each file that could not be run at all.</summary>
    public int Failed => Results.Count(r => !r.Passed) + FilesNotRun;
}

/// <summary>Where a test run's policies come from, over what each test file names.</summary>
/// <param name="Policies">A <c>.cedar</c> folder or file that replaces what test files and the configuration name (a candidate set).</param>
/// <param name="Schema">A schema replacing the files' and the configuration's.</param>
/// <param name="Entities">An entities file replacing the files' and the configuration's.</param>
/// <param name="Config">The gateway configuration whose policy folder, schema, entities, namespace and agents are the defaults.</param>
public sealed record PolicyTestOptions(string? Policies, string? Schema, string? Entities, MandateConfig? Config);

/// <summary>
/// Runs policy test files: compiles each file's policy inputs exactly as the gateway compiles its own (the same
/// compiler, the same validation against the schema) and decides every case with the gateway's decision point.
/// </summary>
public static class PolicyTestRunner
{
    /// <summary>Runs every test file under <paramref name="paths"/> (files, or folders searched for <c>*.test.yaml</c>, <c>*.test.yml</c>, <c>*.test.json</c>).</summary>
    public static PolicyTestReport Run(IReadOnlyList<string> paths, PolicyTestOptions options, DateTimeOffset now)
    {
        var problems = new List<string>();
        var results = new List<PolicyTestResult>();
        var compiled = new Dictionary<(string, string?, string?, string), IDecisionPoint?>();
        var files = TestFiles(paths, problems);
        var notRun = problems.Count;
        if (files.Count == 0 && problems.Count == 0)
        {
            problems.Add($"no test files (*.test.yaml, *.test.yml, *.test.json) under {string.Join(", ", paths)}");
        }

        var defaultNamespace = options.Config?.Policies.Namespace ?? "Mandate";
        foreach (var path in files)
        {
            var file = PolicyTestReader.Read(path, now, defaultNamespace);
            problems.AddRange(file.Problems.Select(p => $"{path}: {p}"));
            if (file.Problems.Count > 0)
            {
                notRun++;
                continue;
            }

            var policies = options.Policies ?? file.Inputs.Policies ?? options.Config?.Policies.Directory;
            if (policies is null)
            {
                problems.Add($"{path}: no policies: the file names none (`policies:`), and neither --policies nor --config was given");
                notRun++;
                continue;
            }

            var key = (policies, options.Schema ?? file.Inputs.Schema ?? options.Config?.Policies.SchemaFile,
                options.Entities ?? file.Inputs.Entities ?? options.Config?.EntitiesFile, file.Inputs.Namespace ?? defaultNamespace);
            if (!compiled.TryGetValue(key, out var point))
            {
                point = Compile(key.Item1, key.Item2, key.Item3, key.Item4, options.Config?.Agents ?? [], problems);
                compiled[key] = point;
            }

            if (point is null)
            {
                problems.Add($"{path}: not run, its policies did not compile");
                notRun++;
                continue;
            }

            foreach (var testCase in file.Cases)
            {
                var decision = Decide(point, testCase.Request);
                results.Add(new PolicyTestResult(testCase, decision, Matches(testCase, decision)));
            }
        }

        return new PolicyTestReport(results, problems, notRun);
    }

    private static bool Matches(PolicyTestCase testCase, GatewayDecision decision) =>
        decision.IsAllowed == testCase.ExpectAllow
        && (testCase.ExpectPolicies is null || decision.Policies.Select(p => p.Id).Order(StringComparer.Ordinal).SequenceEqual(testCase.ExpectPolicies.Order(StringComparer.Ordinal)));

    // As the gateway does: a decision point that throws has denied, with the failure as its error.
    private static GatewayDecision Decide(IDecisionPoint point, DecisionRequest request)
    {
        try
        {
            return point.Decide(request);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            return GatewayDecision.Failure(e.Message);
        }
    }

    private static IDecisionPoint? Compile(string policies, string? schema, string? entities, string ns, IReadOnlyList<AgentRecord> agents, List<string> problems)
    {
        var (sources, schemaSource, entitySource, readProblems) = SnapshotBuilder.ReadSources(policies, schema, entities);
        if (readProblems.Count > 0)
        {
            problems.AddRange(readProblems);
            return null;
        }

        var compilation = new CedarPolicyCompiler().Compile(new PolicyInputs(ns, sources, schemaSource, entitySource, agents));
        problems.AddRange(compilation.Problems.Select(p => p.ToString()));
        return compilation.DecisionPoint;
    }

    private static List<string> TestFiles(IReadOnlyList<string> paths, List<string> problems)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".test.yaml", StringComparison.Ordinal) || f.EndsWith(".test.yml", StringComparison.Ordinal) || f.EndsWith(".test.json", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal));
            }
            else
            {
                problems.Add($"{path}: no such file or folder");
            }
        }

        return files;
    }
}
