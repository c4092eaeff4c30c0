using Mandate.Cedar.Ast;
using Mandate.Cedar.Diagnostics;
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
        var failures = RoundTripFailures("printed and re-parsed", policy =>
        {
            var text = PolicyFormatter.Format(policy);
            return (text, PolicyParser.ParsePolicy(text, policy.Id));
        });
        Assert.Empty(failures.Take(5));
    }

    [Fact]
    public void PolicyJson_EveryConformancePolicy_RoundTrips()
    {
        var failures = RoundTripFailures("written to JSON and read back", policy =>
        {
            var json = PolicyJson.ToJson(policy);
            return (json, PolicyJson.FromJson(json, policy.Id));
        });
        Assert.Empty(failures.Take(5));
    }

    /// <summary>Sends every conformance policy out and back through <paramref name="roundTrip"/>; lists those that fail or differ.</summary>
    private List<string> RoundTripFailures(string what, Func<Policy, (string Text, ParseResult<Policy> Back)> roundTrip)
    {
        var checkedCount = 0;
        var failures = new List<string>();
        foreach (var file in AllPolicyFiles())
        {
            var set = PolicyParser.ParsePolicySet(File.ReadAllText(file), Path.GetFileName(file)).GetValueOrThrow();
            foreach (var policy in set.Policies.Concat(set.Templates))
            {
                checkedCount++;
                var (text, back) = roundTrip(policy);
                if (!back.IsSuccess) failures.Add($"{file} {policy.Id}: {string.Join("; ", back.Diagnostics)}\n{text}");
                else if (back.Value != policy) failures.Add($"{file} {policy.Id}: differs after the round trip\n{text}");
            }
        }
        output.WriteLine($"{checkedCount} policies {what}");
        return failures;
    }
}
