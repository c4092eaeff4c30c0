using Mandate.Cedar.Ast;
using Mandate.Cedar.Formatting;
using Mandate.Cedar.Json;
using Mandate.Cedar.Syntax;
using Mandate.Cedar.Tests.Support;
using Xunit.Abstractions;

namespace Mandate.Cedar.Tests.Syntax;

/// <summary>Every policy file of the conformance data parses, and every policy round-trips.</summary>
public sealed class PolicyCorpusTests(ITestOutputHelper output)
{
    private static IEnumerable<string> AllPolicyFiles()
    {
        var corpus = Path.Combine(ConformanceData.CorpusRoot(), "corpus-tests");
        foreach (var f in Directory.EnumerateFiles(corpus, "*.cedar").Order(StringComparer.Ordinal)) yield return f;
        foreach (var f in Directory.EnumerateFiles(Path.Combine(ConformanceData.CedarDir, "tests"), "*.cedar", SearchOption.AllDirectories)
                     .Order(StringComparer.Ordinal))
        {
            yield return f;
        }
    }

    [Fact]
    public void ParsePolicySet_EveryConformanceFile_Parses()
    {
        var files = 0;
        var policies = 0;
        var failures = new List<string>();
        foreach (var file in AllPolicyFiles())
        {
            files++;
            var result = PolicyParser.ParsePolicySet(File.ReadAllText(file), Path.GetFileName(file));
            if (!result.IsSuccess)
            {
                failures.Add(string.Join("; ", result.Diagnostics));
                continue;
            }
            policies += result.Value.Policies.Length + result.Value.Templates.Length;
        }
        output.WriteLine($"{files} files, {policies} policies parsed");
        Assert.True(files > 7000, $"only {files} policy files found");
        Assert.Empty(failures.Take(20));
    }

    [Fact]
    public void Format_EveryConformancePolicy_ParsesBackToTheSameTree()
    {
        var checkedCount = 0;
        var failures = new List<string>();
        foreach (var file in AllPolicyFiles())
        {
            var set = PolicyParser.ParsePolicySet(File.ReadAllText(file), Path.GetFileName(file)).GetValueOrThrow();
            foreach (var policy in set.Policies.Concat(set.Templates))
            {
                checkedCount++;
                var text = PolicyFormatter.Format(policy);
                var back = PolicyParser.ParsePolicy(text, policy.Id);
                if (!back.IsSuccess) failures.Add($"{file} {policy.Id}: {string.Join("; ", back.Diagnostics)}\n{text}");
                else if (back.Value != policy) failures.Add($"{file} {policy.Id}: differs after printing\n{text}");
            }
        }
        output.WriteLine($"{checkedCount} policies printed and re-parsed");
        Assert.Empty(failures.Take(5));
    }

    [Fact]
    public void PolicyJson_EveryConformancePolicy_RoundTrips()
    {
        var checkedCount = 0;
        var failures = new List<string>();
        foreach (var file in AllPolicyFiles())
        {
            var set = PolicyParser.ParsePolicySet(File.ReadAllText(file), Path.GetFileName(file)).GetValueOrThrow();
            foreach (var policy in set.Policies.Concat(set.Templates))
            {
                checkedCount++;
                var json = PolicyJson.ToJson(policy);
                var back = PolicyJson.FromJson(json, policy.Id);
                if (!back.IsSuccess) failures.Add($"{file} {policy.Id}: {string.Join("; ", back.Diagnostics)}\n{json}");
                else if (back.Value != policy) failures.Add($"{file} {policy.Id}: differs after JSON\n{json}");
            }
        }
        output.WriteLine($"{checkedCount} policies written to JSON and read back");
        Assert.Empty(failures.Take(5));
    }
}
