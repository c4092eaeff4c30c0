using Mandate.Cedar.Tests.Support;

namespace Mandate.Cedar.Tests.Conformance;

/// <summary>The 22 hand-written Cedar integration tests, one theory case each.</summary>
public class HandWrittenConformanceTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        var dir = Path.Combine(ConformanceData.CedarDir, "tests");
        foreach (var file in Directory.GetFiles(dir, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(dir, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsAuthorized_HandWrittenTest_MatchesExpectedAnswers(string test)
    {
        var outcome = ConformanceRunner.Run(Path.Combine(ConformanceData.CedarDir, "tests", test), ConformanceData.CedarDir);
        Assert.True(outcome.Requests > 0);
        Assert.True(outcome.Mismatches.Count == 0, string.Join(Environment.NewLine, outcome.Mismatches));
    }

    [Fact]
    public void Cases_HandWrittenSuite_HasAllTwentyTwoTests()
    {
        Assert.Equal(22, Cases().Count);
    }
}
