namespace Mandate.Cedar.Tests.Support;

public class ConformanceDataTests
{
    [Fact]
    public void CorpusRoot_Unpacked_HoldsCorpusTests()
    {
        var root = ConformanceData.CorpusRoot();
        var tests = Directory.GetFiles(Path.Combine(root, "corpus-tests"), "*.json")
            .Where(f => !f.EndsWith(".entities.json", StringComparison.Ordinal))
            .Count();
        Assert.Equal(7809, tests);
    }
}
