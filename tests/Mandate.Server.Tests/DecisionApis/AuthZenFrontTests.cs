using System.Net;
using System.Text.Json;

namespace Mandate.Server.Tests.DecisionApis;

/// <summary>
/// The AuthZEN front over real sockets: who may ask (API key, JWT client, nobody), about whom (the client's subject
/// scope), malformed requests, denies with reasons, batch semantics and per-item errors, properties merged under what
/// Mandate knows, X-Request-ID, and the metadata. Every refusal and decision leaves its record.
/// </summary>
public sealed class AuthZenFrontTests : IAsyncLifetime
{
    private const string Rick = "CiRmZDA2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs";
    private const string Beth = "CiRmZDM2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs";
    private DecisionApiGateway _g = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() =>
        _g = await DecisionApiGateway.StartAsync(InteropScenario.Policies, InteropScenario.Entities, InteropScenario.DecisionApis);

    /// <inheritdoc />
    public async Task DisposeAsync() => await _g.DisposeAsync();

    private static string Evaluation(string subject, string action, string resourceType = "route", string resourceId = "/todos", string extra = "") =>
        $$$"""{"subject":{"type":"user","id":"{{{subject}}}"},"action":{"name":"{{{action}}}"},"resource":{"type":"{{{resourceType}}}","id":"{{{resourceId}}}"}{{{extra}}}}""";

    [Fact]
    public async Task Evaluation_WithoutCredential_Is401AndRecorded()
    {
        using var response = await _g.PostAsync("/access/v1/evaluation", Evaluation(Rick, "GET"), credential: null, requestId: "req-401");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("req-401", response.Headers.GetValues("X-Request-ID").Single());
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
        var record = await RecordOfAsync(response);
        Assert.Equal("identity.missing", record.Details["code"]);
        Assert.Equal("authzen", record.Details["front"]);
        Assert.Equal("deny", record.Decision);
    }

    [Fact]
    public async Task Evaluation_WithAWrongApiKey_Is401AndRecorded()
    {
        using var response = await _g.PostAsync("/access/v1/evaluation", Evaluation(Rick, "GET"), credential: "mk_not_the_key");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("deny", (await RecordOfAsync(response)).Decision);
    }

    [Fact]
    public async Task Evaluation_JwtClientOutsideItsSubjects_Is403AndRecorded_InsideIsDecided()
    {
        var token = _g.Issuer.Mint("pep-jwt");
        using var outside = await _g.PostAsync("/access/v1/evaluation", Evaluation(Rick, "GET"), credential: token);
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Equal("authzen.subject_not_allowed", (await JsonAsync(outside)).GetProperty("code").GetString());
        var record = await RecordOfAsync(outside);
        Assert.Equal("authzen.subject_not_allowed", record.Details["code"]);
        Assert.Equal("pep-jwt", record.Agent);
        Assert.Equal($"Mandate::User::\"{Rick}\"", record.Details["principal"]);

        using var inside = await _g.PostAsync("/access/v1/evaluation", Evaluation(Beth, "GET"), credential: token);
        Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
        Assert.True((await JsonAsync(inside)).GetProperty("decision").GetBoolean());
    }

    [Fact]
    public async Task Evaluation_AnAgentThatIsNoClient_Is403()
    {
        using var response = await _g.PostAsync("/access/v1/evaluation", Evaluation(Beth, "GET"), credential: _g.Issuer.Mint("some-agent"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("authzen.subject_not_allowed", (await RecordOfAsync(response)).Details["code"]);
    }

    [Fact]
    public async Task Evaluation_PolicyDeny_Is200WithReasons()
    {
        using var response = await _g.PostAsync("/access/v1/evaluation", Evaluation(Beth, "POST"), requestId: "req-deny");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("req-deny", response.Headers.GetValues("X-Request-ID").Single());
        var body = await JsonAsync(response);
        Assert.False(body.GetProperty("decision").GetBoolean());
        var context = body.GetProperty("context");
        Assert.Equal("viewers may only read", context.GetProperty("reason_user").GetProperty("en").GetString());
        Assert.Contains("gateway-viewers-read-only", context.GetProperty("reason_admin").GetProperty("en").GetString());
        var record = await RecordOfAsync(response);
        Assert.Equal("policy.deny", record.Details["code"]);
        Assert.Equal(["gateway-viewers-read-only"], record.Policies);
    }

    [Theory]
    [InlineData("""{"subject":{"type":"user"},"action":{"name":"GET"},"resource":{"type":"route","id":"/todos"}}""", "authzen.bad_request")]
    [InlineData("""{"subject":"rick","action":{"name":"GET"},"resource":{"type":"route","id":"/todos"}}""", "authzen.bad_request")]
    [InlineData("""[1,2]""", "request.bad_json")]
    [InlineData("""{"subject":{"type":"robot","id":"r"},"action":{"name":"GET"},"resource":{"type":"route","id":"/todos"}}""", "authzen.unknown_type")]
    [InlineData("""{"subject":{"type":"user","id":"r"},"action":{"name":"GET"},"resource":{"type":"route","id":"/todos"},"context":{"token":"x"}}""", "authzen.bad_request")]
    [InlineData("""{"subject":{"type":"user","id":"r","properties":{"n":1.5}},"action":{"name":"GET"},"resource":{"type":"route","id":"/x"}}""", "authzen.bad_request")]
    public async Task Evaluation_Malformed_Is400AndRecorded(string body, string expected)
    {
        using var response = await _g.PostAsync("/access/v1/evaluation", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var code = (await JsonAsync(response)).GetProperty("code").GetString();
        Assert.Equal(expected == "request.bad_json" ? "authzen.bad_request" : expected, code);
        Assert.Equal(code, (await RecordOfAsync(response)).Details["code"]);
    }

    [Fact]
    public async Task Evaluation_PropertiesNeverOverrideWhatMandateKnows_ButAddWhatItDoesNot()
    {
        // Beth is a viewer; her claimed admin role is not believed.
        using var claimed = await _g.PostAsync("/access/v1/evaluation",
            $$$"""{"subject":{"type":"user","id":"{{{Beth}}}","properties":{"roles":["admin"]}},"action":{"name":"POST"},"resource":{"type":"route","id":"/todos"}}""");
        Assert.False((await JsonAsync(claimed)).GetProperty("decision").GetBoolean());

        // A todo's owner is only known from the request.
        var morty = "CiRmZDE2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs";
        using var owned = await _g.PostAsync("/access/v1/evaluation",
            $$$"""{"subject":{"type":"user","id":"{{{morty}}}"},"action":{"name":"can_delete_todo"},"resource":{"type":"todo","id":"t1","properties":{"ownerID":"morty@the-citadel.com"}},"context":{"time":"2026-01-01T00:00:00Z"}}""");
        Assert.True((await JsonAsync(owned)).GetProperty("decision").GetBoolean());
    }

    [Theory]
    [InlineData("execute_all", new[] { true, false, true })]
    [InlineData("deny_on_first_deny", new[] { true, false })]
    [InlineData("permit_on_first_permit", new[] { true })]
    public async Task Evaluations_Semantics_StopWhereTheyShould(string semantic, bool[] expected)
    {
        var body = $$$"""
            {"subject":{"type":"user","id":"{{{Beth}}}"},"resource":{"type":"route","id":"/todos"},
             "evaluations":[{"action":{"name":"GET"}},{"action":{"name":"POST"}},{"action":{"name":"GET"}}],
             "options":{"evaluations_semantic":"{{{semantic}}}"}}
            """;
        using var response = await _g.PostAsync("/access/v1/evaluations", body);
        var decisions = (await JsonAsync(response)).GetProperty("evaluations").EnumerateArray().Select(e => e.GetProperty("decision").GetBoolean()).ToArray();
        Assert.Equal(expected, decisions);
        var records = (await _g.DecisionRecordsAsync()).Where(r => r.Details["front"] == "authzen").ToList();
        Assert.Equal(expected.Length, records.Count);
        Assert.Equal(expected.Length, records.Select(r => r.DecisionId).Distinct().Count());
    }

    [Fact]
    public async Task Evaluations_AnItemThatCannotBeRead_IsADenyWithItsError_TheOthersAreDecided()
    {
        var body = $$$"""
            {"subject":{"type":"user","id":"{{{Rick}}}"},"action":{"name":"GET"},
             "evaluations":[{"resource":{"type":"route","id":"/todos"}},{"resource":{"type":"spaceship","id":"1"}}]}
            """;
        using var response = await _g.PostAsync("/access/v1/evaluations", body);
        var items = (await JsonAsync(response)).GetProperty("evaluations").EnumerateArray().ToArray();
        Assert.True(items[0].GetProperty("decision").GetBoolean());
        Assert.False(items[1].GetProperty("decision").GetBoolean());
        Assert.Equal(400, items[1].GetProperty("context").GetProperty("error").GetProperty("status").GetInt32());
        Assert.Equal("authzen.unknown_type", items[1].GetProperty("context").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Evaluations_WithoutAnArray_IsOneEvaluation()
    {
        using var response = await _g.PostAsync("/access/v1/evaluations", Evaluation(Rick, "DELETE"));
        Assert.True((await JsonAsync(response)).GetProperty("decision").GetBoolean());
    }

    [Fact]
    public async Task Metadata_NamesEveryEndpoint()
    {
        using var response = await _g.Http.GetAsync(new Uri(_g.DataPlane, "/.well-known/authzen-configuration"));
        var body = await JsonAsync(response);
        var pdp = body.GetProperty("policy_decision_point").GetString()!;
        Assert.Equal(pdp + "/access/v1/evaluation", body.GetProperty("access_evaluation_endpoint").GetString());
        Assert.Equal(pdp + "/access/v1/evaluations", body.GetProperty("access_evaluations_endpoint").GetString());
        Assert.Equal(pdp + "/access/v1/search/subject", body.GetProperty("search_subject_endpoint").GetString());
        Assert.Equal(pdp + "/access/v1/search/resource", body.GetProperty("search_resource_endpoint").GetString());
        Assert.Equal(pdp + "/access/v1/search/action", body.GetProperty("search_action_endpoint").GetString());
    }

    private async Task<Core.Audit.AuditEvent> RecordOfAsync(HttpResponseMessage response)
    {
        var id = response.Headers.GetValues("X-Mandate-Decision-Id").Single();
        return Assert.Single(await _g.DecisionRecordsAsync(), r => r.DecisionId == id);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
