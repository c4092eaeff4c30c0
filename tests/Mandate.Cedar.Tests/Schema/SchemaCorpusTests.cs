using Mandate.Cedar.Schema;
using Mandate.Cedar.Tests.Support;

namespace Mandate.Cedar.Tests.Schema;

public class SchemaCorpusTests
{
    [Fact]
    public void ParseHuman_EveryCorpusSchema_ParsesAndEqualsItsJsonTwin()
    {
        var corpus = Path.Combine(ConformanceData.CorpusRoot(), "corpus-tests");
        var jsonDir = Path.Combine(ConformanceData.JsonSchemaRoot(), "corpus-tests-json-schemas");
        var failures = new List<string>();
        int parsed = 0, compared = 0;
        foreach (var file in Directory.EnumerateFiles(corpus, "*.cedarschema"))
        {
            var human = SchemaParser.Parse(File.ReadAllText(file), Path.GetFileName(file));
            if (!human.Success)
            {
                failures.Add($"{Path.GetFileName(file)}: {human.Diagnostics[0]}");
                continue;
            }
            parsed++;
            var twin = Path.Combine(jsonDir, Path.GetFileName(file) + ".json");
            if (!File.Exists(twin)) continue;
            var json = SchemaParser.Parse(File.ReadAllText(twin), Path.GetFileName(twin));
            if (!json.Success)
            {
                failures.Add($"{Path.GetFileName(twin)}: {json.Diagnostics[0]}");
                continue;
            }
            compared++;
            if (CedarSchema.Difference(human.Schema!, json.Schema!) is { } diff) failures.Add($"{Path.GetFileName(file)}: {diff}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} failures (parsed {parsed}, compared {compared}):\n" + string.Join("\n", failures.Take(20)));
        Assert.True(parsed >= 7000, $"only {parsed} schemas parsed");
        Assert.True(compared >= 7000, $"only {compared} schemas compared");
    }
}
