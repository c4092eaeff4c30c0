using System.CommandLine;
using Mandate.Server.Configuration;
using Mandate.Server.Lifecycle.Testing;

namespace Mandate.Cli.Commands;

/// <summary>
/// <c>mandate policy test PATH...</c>: runs policy test files (docs/policy-lifecycle.md) and prints one line per
/// failed test with what it expected and what it got, then <c>N passed, N failed</c>. Exit 0 when every test passed,
/// 1 when one failed, 2 when a file, the configuration or the policies could not be read.
/// </summary>
internal static class PolicyTestCommand
{
    /// <summary>Builds the <c>test</c> subcommand.</summary>
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Test files, or folders searched for *.test.yaml, *.test.yml and *.test.json.", Arity = ArgumentArity.OneOrMore };
        var config = new Option<string?>("--config", "-c") { Description = "A mandate.yaml whose policies, schema, entities, namespace and agents the tests run against unless a file names its own." };
        var policies = new Option<string?>("--policies", "-p") { Description = "A .cedar folder or file to run every test against instead (a candidate policy set)." };
        var schema = new Option<string?>("--schema", "-s") { Description = "A schema to use instead of the files' or the configuration's." };
        var entities = new Option<string?>("--entities") { Description = "An entities file to use instead of the files' or the configuration's." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print passing tests too." };
        var command = new Command("test", "Run policy test files: each request must get the expected decision (and determining policies).")
        {
            paths, config, policies, schema, entities, verbose,
        };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            MandateConfig? loaded = null;
            if (parse.GetValue(config) is { } configPath)
            {
                var result = MandateConfigLoader.Load(configPath);
                if (!result.Succeeded)
                {
                    foreach (var p in result.Problems) await error.WriteLineAsync($"{configPath}: {p}");
                    return 2;
                }

                loaded = result.Config;
            }

            var options = new PolicyTestOptions(Full(parse.GetValue(policies)), Full(parse.GetValue(schema)), Full(parse.GetValue(entities)), loaded);
            var report = PolicyTestRunner.Run(parse.GetValue(paths)!, options, DateTimeOffset.UtcNow);
            foreach (var problem in report.Problems)
            {
                await error.WriteLineAsync($"error: {problem}");
            }

            foreach (var r in report.Results.Where(r => !r.Passed || parse.GetValue(verbose)))
            {
                await output.WriteAsync(Describe(r));
            }

            await output.WriteLineAsync($"{report.Passed} passed, {report.Failed} failed");
            return report.Problems.Count > 0 ? 2 : report.Failed > 0 ? 1 : 0;
        });
        return command;
    }

    private static string? Full(string? path) => path is null ? null : Path.GetFullPath(path);

    private static string Describe(PolicyTestResult r)
    {
        var c = r.Case;
        var head = $"{(r.Passed ? "PASS" : "FAIL")} {c.File} tests[{c.Index}]: {c.Name}\n";
        if (r.Passed)
        {
            return head;
        }

        static string Answer(bool allow, IEnumerable<string>? policies) =>
            (allow ? "allow" : "deny") + (policies is null ? "" : $" by [{string.Join(", ", policies)}]");
        var got = r.Decision.Policies.Select(p => p.Id).ToArray();
        var text = head
            + $"  request:  {c.Request.Principal?.Entity.ToString() ?? $"agent {c.Request.Caller.AgentId}"}, {c.Request.Action}, {c.Request.Resource.Entity}\n"
            + $"  expected: {Answer(c.ExpectAllow, c.ExpectPolicies)}\n"
            + $"  got:      {Answer(r.Decision.IsAllowed, got.Length == 0 && !r.Decision.IsAllowed ? null : got)}{(got.Length == 0 && !r.Decision.IsAllowed ? " (no policy applied: default deny)" : "")}\n";
        foreach (var p in r.Decision.Policies.Where(p => p.Reason is not null))
        {
            text += $"  reason:   {p.Id}: {p.Reason}\n";
        }

        foreach (var e in r.Decision.Errors)
        {
            text += $"  error:    {e}\n";
        }

        return text;
    }
}
