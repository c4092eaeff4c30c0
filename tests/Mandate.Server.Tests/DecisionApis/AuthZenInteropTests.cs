using System.Text.Json;
using Mandate.Server.Tests.Support;
using Xunit.Abstractions;

namespace Mandate.Server.Tests.DecisionApis;

/// <summary>
/// The AuthZEN interop decisions (Authorization API 1.0) run as they are, from <c>MANDATE_CONFORMANCE_DIR</c>, against a
/// running gateway over HTTP: the Todo scenario's single evaluations (both 1.0 files) and batches, and the API-gateway
/// scenario. Every expected decision must match. (<c>decisions-authorization-api-1_0-00.json</c> is the pre-1.0 draft
/// shape — properties as top-level members, which 1.0 requires a PDP to ignore — and is not a 1.0 test.)
/// </summary>
public sealed class AuthZenInteropTests : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private DecisionApiGateway _g = null!;

    /// <summary>Creates the tests.</summary>
    public AuthZenInteropTests(ITestOutputHelper output) => _output = output;

    /// <inheritdoc />
    public async Task InitializeAsync() =>
        _g = await DecisionApiGateway.StartAsync(InteropScenario.Policies, InteropScenario.Entities, InteropScenario.DecisionApis);

    /// <inheritdoc />
    public async Task DisposeAsync() => await _g.DisposeAsync();

    [Theory]
    [InlineData("todo/decisions-authorization-api-1_0-01.json")]
    [InlineData("todo/decisions-authorization-api-1_0-02.json")]
    [InlineData("api-gateway/decisions.json")]
    public async Task Evaluation_EveryInteropCase_MatchesTheExpectedDecision(string file)
    {
        var cases = Cases(file, "evaluation");
        var failures = new List<string>();
        foreach (var c in cases)
        {
            using var response = await _g.PostAsync("/access/v1/evaluation", c.GetProperty("request").GetRawText());
            var text = await response.Content.ReadAsStringAsync();
            var expected = c.GetProperty("expected").GetBoolean();
            if ((int)response.StatusCode != 200 || JsonDocument.Parse(text).RootElement.GetProperty("decision").GetBoolean() != expected)
            {
                failures.Add($"{c.GetProperty("request").GetRawText()} → {(int)response.StatusCode} {text} (expected {expected})");
            }
        }

        _output.WriteLine($"{file}: {cases.Count - failures.Count}/{cases.Count} passed");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(file.StartsWith("todo", StringComparison.Ordinal) ? 40 : 25, cases.Count);

        // Every one of them is in the audit chain, named by its front and its subject.
        var records = (await _g.DecisionRecordsAsync()).Where(r => r.Details["front"] == "authzen").ToList();
        Assert.Equal(cases.Count, records.Count);
        Assert.All(records, r => Assert.StartsWith("Mandate::User::", r.Details["principal"], StringComparison.Ordinal));
        Assert.All(records, r => Assert.Equal("todo-app", r.Agent));
    }

    [Fact]
    public async Task Evaluations_TodoBatches_MatchTheExpectedDecisions()
    {
        var cases = Cases("todo/decisions-authorization-api-1_0-02.json", "evaluations");
        Assert.Equal(3, cases.Count);
        foreach (var c in cases)
        {
            using var response = await _g.PostAsync("/access/v1/evaluations", c.GetProperty("request").GetRawText());
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == 200, text);
            var actual = JsonDocument.Parse(text).RootElement.GetProperty("evaluations").EnumerateArray().Select(e => e.GetProperty("decision").GetBoolean()).ToArray();
            var expected = c.GetProperty("expected").EnumerateArray().Select(e => e.GetProperty("decision").GetBoolean()).ToArray();
            Assert.True(expected.SequenceEqual(actual), $"{c.GetProperty("request").GetRawText()} → {text}");
        }

        _output.WriteLine($"todo batches: {cases.Count}/{cases.Count} passed");
    }

    private static List<JsonElement> Cases(string file, string member)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(ConformanceFiles.PathOf("authzen", file)));
        return document.RootElement.GetProperty(member).EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
