using System.Diagnostics;
using Mandate.Cedar.Tests.Support;
using Xunit.Abstractions;

namespace Mandate.Cedar.Tests.Conformance;

/// <summary>The whole generated Cedar corpus (7,809 tests, 62,472 requests) as one aggregate test.</summary>
public class CorpusConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void IsAuthorized_WholeCorpus_MatchesEveryExpectedAnswer()
    {
        var root = ConformanceData.CorpusRoot();
        var files = Directory.GetFiles(Path.Combine(root, "corpus-tests"), "*.json")
            .Where(f => !f.EndsWith(".entities.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var clock = Stopwatch.StartNew();
        var outcomes = new ConformanceRunner.FileOutcome[files.Length];
        Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 },
            i => outcomes[i] = ConformanceRunner.Run(files[i], root, ConformanceData.CedarDir));
        clock.Stop();

        var requests = outcomes.Sum(o => o.Requests);
        var mismatches = outcomes.SelectMany(o => o.Mismatches).ToList();
        var failedFiles = outcomes.Count(o => o.Mismatches.Count > 0);
        var summary = $"corpus: {files.Length} tests, {requests} requests, {requests - mismatches.Count} matched, "
                      + $"{mismatches.Count} mismatched in {failedFiles} tests, {clock.Elapsed.TotalSeconds:F1} s";
        output.WriteLine(summary);
        foreach (var m in mismatches.Take(50)) output.WriteLine(m);

        Assert.Equal(7809, files.Length);
        Assert.Equal(62472, requests);
        Assert.True(mismatches.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, mismatches.Take(50)));
    }
}
