using Mandate.Cedar.Schema;
using Mandate.Cedar.Tests.Support;
using Mandate.Cedar.Tests.Validation;

namespace Mandate.Cedar.Tests.Schema;

public class SchemaCorpusTests
{
    [Fact]
    public void ParseHuman_EveryCorpusSchema_ParsesAndEqualsItsJsonTwin()
    {
        var jsonDir = Path.Combine(ConformanceData.JsonSchemaRoot(), "corpus-tests-json-schemas");
        var failures = new List<string>();
        int parsed = 0, compared = 0;
        foreach (var hash in CorpusCases.Hashes)
        {
            var file = hash + ".cedarschema";
            var (_, schema, _) = CorpusCases.Get(hash); // asserts that it parses
            parsed++;
            var twin = Path.Combine(jsonDir, file + ".json");
            if (!File.Exists(twin)) continue;
            var json = SchemaParser.Parse(File.ReadAllText(twin), Path.GetFileName(twin));
            if (!json.Success)
            {
                failures.Add($"{Path.GetFileName(twin)}: {json.Diagnostics[0]}");
                continue;
            }
            compared++;
            if (CedarSchema.Difference(schema, json.Schema!) is { } diff) failures.Add($"{file}: {diff}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} failures (parsed {parsed}, compared {compared}):\n" + string.Join("\n", failures.Take(20)));
        Assert.True(parsed >= 7000, $"only {parsed} schemas parsed");
        Assert.True(compared >= 7000, $"only {compared} schemas compared");
    }

    [Fact]
    public void Format_EveryCorpusSchema_RoundTripsThroughBothFormats()
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var hash in CorpusCases.Hashes)
        {
            var file = hash + ".cedarschema";
            var (_, schema, _) = CorpusCases.Get(hash);
            count++;
            var human = SchemaParser.ParseHuman(SchemaFormatter.ToCedarSchema(schema));
            var json = SchemaParser.ParseJson(SchemaFormatter.ToJson(schema));
            if (!human.Success) failures.Add($"{file} human: {human.Diagnostics[0]}");
            else if (CedarSchema.Difference(schema, human.Schema!) is { } d1) failures.Add($"{file} human: {d1}");
            if (!json.Success) failures.Add($"{file} json: {json.Diagnostics[0]}");
            else if (CedarSchema.Difference(schema, json.Schema!) is { } d2) failures.Add($"{file} json: {d2}");
        }
        Assert.Equal(7809, count);
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(10)));
    }
}
